// Renders engine results as the API's messages.
#ifndef BACKCHAT_SERVICE_ENGINE_TURN_BUILDER_H_
#define BACKCHAT_SERVICE_ENGINE_TURN_BUILDER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "backchat/triage/v1/types.pb.h"
#include "service/engine/answer_matcher.h"
#include "service/engine/compiled_dialog.h"
#include "service/engine/engine.h"

namespace backchat::engine {

// `question` as a Turn shows it (id, texts, kind, options), without the
// progress: what the compiler keeps in CompiledQuestion::shown.
triage::v1::Question ShownQuestion(const CompiledQuestion& question);

// Sets turn->question or turn->outcome (and dialog_id, dialog_version,
// can_go_back) from `step`. The session fields (id, locale, notice) are
// left to the caller.
void FillTurn(const CompiledDialog& dialog, const SessionState& state,
              const Step& step, triage::v1::Turn* turn);

// Sets turn->confirmation: `options` proposed as the answer to `question`,
// with the dialog's confirm_* message (an exclusive option names what it
// rules out).
void FillConfirmation(const CompiledDialog& dialog,
                      const CompiledQuestion& question, OptionMask options,
                      triage::v1::Turn* turn);

// Sets turn->read_back: `options` as the accepted answer to `question`.
void FillReadBack(const CompiledDialog& dialog,
                  const CompiledQuestion& question, OptionMask options,
                  triage::v1::Turn* turn);

// Sets turn->answers: every question answered in `state`, in the order
// asked, with its text and the chosen options, in the dialog's language.
// For the turns that show a whole conversation (GetSession, the outcome),
// not for every step.
void FillAnswers(const CompiledDialog& dialog, const SessionState& state,
                 triage::v1::Turn* turn);

// The sentence telling the person why `text` was not taken as an answer to
// `question` (for kNotUnderstood, kAmbiguous, kExclusiveCombined, kUnsure).
std::string NoticeFor(const CompiledDialog& dialog,
                      const CompiledQuestion& question,
                      const MatchResult& result, absl::string_view text);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_ENGINE_TURN_BUILDER_H_
