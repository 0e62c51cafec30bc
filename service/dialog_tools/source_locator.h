// Finds where a field of a parsed text-format file was written, so that
// errors found after parsing still say file:line:column.
#ifndef BACKCHAT_SERVICE_DIALOG_TOOLS_SOURCE_LOCATOR_H_
#define BACKCHAT_SERVICE_DIALOG_TOOLS_SOURCE_LOCATOR_H_

#include <cstddef>
#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"

namespace backchat::engine {

// One step of a field path: a field name and, for repeated fields, the
// element index (-1 for a singular field; for a repeated field, the first
// element).
struct FieldStep {
  absl::string_view field;
  int index = -1;
};

// Does not own the tree, which must outlive the locator.
class SourceLocator {
 public:
  SourceLocator(std::string path,
                const google::protobuf::TextFormat::ParseInfoTree* tree,
                const google::protobuf::Descriptor* root);

  // "path:line:column" (1-based) of the deepest step of `steps` that was
  // written in the file; "path" alone when none was (e.g. a missing field
  // at the top level).
  std::string At(std::initializer_list<FieldStep> steps) const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  const google::protobuf::TextFormat::ParseInfoTree* tree_;
  const google::protobuf::Descriptor* root_;
};

// The most errors one dialog or translation file reports (syntax errors,
// or problems found once parsed): enough to mend several in one go, few
// enough to read.
inline constexpr size_t kMaxReportedErrors = 20;

// Parses `text` (protobuf text format) into `message`, recording where
// each field was written into `tree` (may be null). INVALID_ARGUMENT with
// one "path:line:column: message" line per syntax error (at most
// kMaxReportedErrors).
absl::Status ParseTextFormat(absl::string_view text, absl::string_view path,
                             google::protobuf::Message* message,
                             google::protobuf::TextFormat::ParseInfoTree* tree);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_DIALOG_TOOLS_SOURCE_LOCATOR_H_
