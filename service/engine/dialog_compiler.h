// Turns dialog text into a CompiledDialog, or says exactly what is wrong.
#ifndef BACKCHAT_SERVICE_ENGINE_DIALOG_COMPILER_H_
#define BACKCHAT_SERVICE_ENGINE_DIALOG_COMPILER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/engine/compiled_dialog.h"

namespace backchat::engine {

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

#endif  // BACKCHAT_SERVICE_ENGINE_DIALOG_COMPILER_H_
