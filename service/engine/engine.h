// The dialog engine: pure functions of (compiled dialog, session state).
//
// A session's whole state is the set of answers given (SessionState). The
// current step, question or outcome, is derived from it by NextStep, so
// showing a session again after a reload needs nothing else.
//
// Questions are asked in dialog order. Walking forward from the last
// answer, a question is skipped when its ask_if does not hold or when it is
// not *relevant*: no rule that could still change the outcome mentions it.
// Rules are evaluated in three values (true / false / unknown): a question
// not yet reached is unknown; one passed over without an answer holds no
// option. Once an EMERGENCY flag has fired nothing can be more urgent, so
// the dialog ends at once.
//
// None of these functions does I/O, reads a clock or touches globals; all
// are safe to call concurrently on the same CompiledDialog.
#ifndef BACKCHAT_SERVICE_ENGINE_ENGINE_H_
#define BACKCHAT_SERVICE_ENGINE_ENGINE_H_

#include <vector>

#include "absl/status/status.h"
#include "service/engine/compiled_dialog.h"

namespace backchat::engine {

struct SessionState {
  // answers[q] is the option mask given to question q; 0 = no answer.
  std::vector<OptionMask> answers;

  bool operator==(const SessionState& other) const {
    return answers == other.answers;
  }
};

// A fresh state: nothing answered.
SessionState NewSessionState(const CompiledDialog& dialog);

struct Step {
  bool finished = false;

  // While !finished: the question to ask now.
  int question = -1;
  int answered = 0;
  // Questions that may still be asked, this one included.
  int remaining_at_most = 0;

  // Once finished: the outcome.
  Level level = triage::v1::LEVEL_UNSPECIFIED;
  // Indexes of the fired red flags, most urgent first, then dialog order.
  std::vector<int> fired_flags;
  // For LEVEL_SELF_CARE: indexes into technique_rules / frequency_rules.
  int technique_rule = -1;
  int frequency_rule = -1;
};

// What happens next in a session with these answers.
// Precondition: state.answers.size() == dialog.questions.size().
Step NextStep(const CompiledDialog& dialog, const SessionState& state);

// Records `options` as the answer to the current question.
// Errors: FAILED_PRECONDITION if the dialog has finished or `question` is
// not the current question; INVALID_ARGUMENT if `options` is empty, names
// an option the question does not have, has more than one option for a
// single-choice question, or combines an exclusive option with others.
// On error the state is unchanged.
absl::Status ApplyAnswer(const CompiledDialog& dialog, int question,
                         OptionMask options, SessionState* state);

// ApplyAnswer for a caller that already has `current` ==
// NextStep(dialog, *state), saving its recomputation.
absl::Status ApplyAnswerAt(const CompiledDialog& dialog, const Step& current,
                           int question, OptionMask options, SessionState* state);

// Withdraws the most recent answer. FAILED_PRECONDITION if there is none.
absl::Status GoBack(SessionState* state);

// True when some answer has been given (GoBack would succeed).
bool HasAnswers(const SessionState& state);

// An answer by ids: what storage and records keep, so that they survive
// edits of the dialog that reorder questions or options.
struct AnswerIds {
  absl::string_view question;
  std::vector<absl::string_view> options;
};

// The answers given, in question order. The views point into `dialog`.
std::vector<AnswerIds> AnswersAsIds(const CompiledDialog& dialog,
                                    const SessionState& state);

// Checks an option mask against a question (the checks ApplyAnswer makes).
absl::Status ValidateOptions(const CompiledQuestion& question,
                             OptionMask options);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_ENGINE_ENGINE_H_
