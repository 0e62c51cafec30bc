// Turns dialog text into a CompiledDialog, or says exactly what is wrong.
#ifndef BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_COMPILER_H_
#define BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_COMPILER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/text_format.h"
#include "service/engine/compiled_dialog.h"
#include "service/dialog_tools/source_locator.h"

namespace backchat::engine {

// A dialog file as parsed, with where each field was written.
struct ParsedDialog {
  dialog::v1::Dialog def;
  std::string path;
  std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree;

  SourceLocator Locator() const {
    return SourceLocator(path, tree.get(), def.GetDescriptor());
  }
};

// Parses `text` (protobuf text format, message backchat.dialog.v1.Dialog).
// INVALID_ARGUMENT with "path:line:column: message" lines on syntax errors.
absl::StatusOr<ParsedDialog> ParseDialogText(absl::string_view text,
                                             absl::string_view source_path);

// Reads and parses a file; NOT_FOUND if it cannot be read.
absl::StatusOr<ParsedDialog> ReadDialogFile(const std::string& path);

// Compiles a parsed definition; `where` locates its fields for messages.
// Errors as for CompileDialogText.
absl::StatusOr<std::shared_ptr<const CompiledDialog>> CompileDialogDefinition(
    const dialog::v1::Dialog& def, const SourceLocator& where,
    std::string version);

// The version of a dialog made of these definitions (a base file and its
// translations, in a fixed order): 16 hex digits of a stable hash of their
// content.
std::string DialogContentHash(const std::vector<const dialog::v1::Dialog*>& defs);

// Parses `text` (protobuf text format, message backchat.dialog.v1.Dialog)
// and compiles it. On error returns INVALID_ARGUMENT whose message has one
// line per problem (at most 20), each "source_path:line:column: what is
// wrong", e.g.
//   dialogs/back_pain.textproto:41:7: red flag "fever" refers to unknown
//   question "symptom"
// Safe on any input: never crashes, never loops.
absl::StatusOr<std::shared_ptr<const CompiledDialog>> CompileDialogText(
    absl::string_view text, absl::string_view source_path);

// Reads and compiles one file. NOT_FOUND if it cannot be read.
absl::StatusOr<std::shared_ptr<const CompiledDialog>> LoadDialogFile(
    const std::string& path);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_COMPILER_H_
