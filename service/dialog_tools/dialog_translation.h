// Applying a translation file (NAME.LOCALE.textproto) to its base dialog.
#ifndef BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_TRANSLATION_H_
#define BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_TRANSLATION_H_

#include "absl/status/statusor.h"
#include "backchat/dialog/v1/dialog.pb.h"
#include "service/dialog_tools/dialog_compiler.h"

namespace backchat::engine {

// Returns `base` with every text replaced by the translation's, and the
// translation's locale. The result has exactly the base's structure
// (questions, options, conditions, levels), so answers mean the same in
// every language.
//
// INVALID_ARGUMENT, one "path:line:column: message" line per problem, when
// the translation misses a text the base has (a question's text or help, an
// option's label or synonyms, a flag's reason, a technique, a rule's text,
// a level text, advice of another length, the disclaimer, a message, the
// vocabulary), names an id the base does not have, belongs to another
// dialog, or sets anything that is not a text (a kind, a condition, a
// level of a flag, a range).
absl::StatusOr<dialog::v1::Dialog> ApplyTranslation(
    const dialog::v1::Dialog& base, const ParsedDialog& translation);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_TRANSLATION_H_
