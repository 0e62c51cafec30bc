// The dialog check of the text path: how the answer matcher reads each
// option's own words. Run for every language at every load, beside
// CheckDialog (which proves the paths).
#ifndef BACKCHAT_SERVICE_DIALOG_TOOLS_TYPED_ANSWER_CHECK_H_
#define BACKCHAT_SERVICE_DIALOG_TOOLS_TYPED_ANSWER_CHECK_H_

#include <string>
#include <vector>

#include "service/engine/compiled_dialog.h"

namespace backchat::engine {

struct TypedAnswerReport {
  // "file:line: ..." lines. A problem: an option's label or synonym, typed
  // alone, is not read as that option and nothing else (at once or after a
  // confirmation). The dialog is refused.
  std::vector<std::string> problems;
  // "file:line: ..." lines. A warning: a synonym that is a word of another
  // option's synonym in the same question, or a yes/no word (inside a
  // sentence it reads as a negation, not as the option).
  std::vector<std::string> warnings;
};

// `file` is where the dialog's texts of this language are (the base file,
// or its translation NAME.LOCALE.textproto); its text is searched for the
// line of each synonym. A file that cannot be read gives locations without
// a line.
TypedAnswerReport CheckTypedAnswers(const CompiledDialog& dialog,
                                    const std::string& file);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_DIALOG_TOOLS_TYPED_ANSWER_CHECK_H_
