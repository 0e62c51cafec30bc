#include "service/dialog_tools/source_locator.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace backchat::engine {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;

namespace {

// Collects text-format syntax errors as "path:line:column: message".
class SyntaxErrors : public google::protobuf::io::ErrorCollector {
 public:
  explicit SyntaxErrors(absl::string_view path) : path_(path) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (lines_.size() < kMaxReportedErrors) {
      lines_.push_back(absl::StrCat(path_, ":", line + 1, ":", column + 1,
                                    ": ", message));
    }
  }
  std::string Joined() const { return absl::StrJoin(lines_, "\n"); }

 private:
  std::string path_;
  std::vector<std::string> lines_;
};

}  // namespace

absl::Status ParseTextFormat(absl::string_view text, absl::string_view path,
                             google::protobuf::Message* message,
                             TextFormat::ParseInfoTree* tree) {
  TextFormat::Parser parser;
  SyntaxErrors syntax_errors(path);
  parser.RecordErrorsTo(&syntax_errors);
  if (tree != nullptr) parser.WriteLocationsTo(tree);
  google::protobuf::io::ArrayInputStream input(text.data(),
                                               static_cast<int>(text.size()));
  if (!parser.Parse(&input, message)) {
    return absl::InvalidArgumentError(syntax_errors.Joined());
  }
  return absl::OkStatus();
}

SourceLocator::SourceLocator(std::string path,
                             const TextFormat::ParseInfoTree* tree,
                             const Descriptor* root)
    : path_(std::move(path)), tree_(tree), root_(root) {}

std::string SourceLocator::At(std::initializer_list<FieldStep> steps) const {
  const TextFormat::ParseInfoTree* tree = tree_;
  const Descriptor* type = root_;
  int line = -1;
  int column = -1;
  for (const FieldStep& step : steps) {
    if (tree == nullptr || type == nullptr) break;
    const FieldDescriptor* field = type->FindFieldByName(std::string(step.field));
    if (field == nullptr) break;
    // Protobuf aborts on a repeated field asked for without an index: a
    // step without one means its first element.
    const int index = field->is_repeated() ? std::max(step.index, 0) : -1;
    const TextFormat::ParseLocation location = tree->GetLocation(field, index);
    if (location.line < 0) break;
    line = location.line;
    column = location.column;
    if (field->message_type() == nullptr) break;
    tree = tree->GetTreeForNested(field, index);
    type = field->message_type();
  }
  if (line < 0) return path_;
  return absl::StrCat(path_, ":", line + 1, ":", column + 1);
}

}  // namespace backchat::engine
