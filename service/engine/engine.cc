#include "service/engine/engine.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace backchat::engine {
namespace {

enum class Truth { kFalse, kTrue, kUnknown };

// What is known at a point of the walk: answers given, and which questions
// have been passed (those before `horizon`).
struct Knowledge {
  const SessionState& state;
  int horizon;

  Truth Of(const Clause& clause) const {
    const OptionMask answer = state.answers[clause.question];
    if (answer != 0) {
      return (answer & clause.options) != 0 ? Truth::kTrue : Truth::kFalse;
    }
    return clause.question < horizon ? Truth::kFalse : Truth::kUnknown;
  }

  Truth Of(const Conjunction& conjunction) const {
    Truth result = Truth::kTrue;
    for (const Clause& clause : conjunction.clauses) {
      const Truth t = Of(clause);
      if (t == Truth::kFalse) return Truth::kFalse;
      if (t == Truth::kUnknown) result = Truth::kUnknown;
    }
    return result;
  }

  Truth Of(const Rule& rule) const {
    if (rule.any.empty()) return Truth::kTrue;
    Truth result = Truth::kFalse;
    for (const Conjunction& conjunction : rule.any) {
      const Truth t = Of(conjunction);
      if (t == Truth::kTrue) return Truth::kTrue;
      if (t == Truth::kUnknown) result = Truth::kUnknown;
    }
    return result;
  }
};

// The most urgent level among flags known to have fired; SELF_CARE if none.
Level KnownLevel(const CompiledDialog& dialog, const Knowledge& known) {
  Level level = triage::v1::LEVEL_SELF_CARE;
  for (const CompiledRedFlag& flag : dialog.red_flags) {
    if (MoreUrgent(flag.level, level) && known.Of(flag.rule) == Truth::kTrue) {
      level = flag.level;
    }
  }
  return level;
}

// True when an undecided rule of an ordered first-match list (technique or
// frequency) that could still be the first to hold mentions `question`.
template <typename Rules>
bool MattersToFirstMatch(const Rules& rules, const Knowledge& known,
                         int question) {
  for (const auto& rule : rules) {
    const Truth t = known.Of(rule.rule);
    if (t == Truth::kTrue) return false;  // Decided by an earlier rule.
    if (t == Truth::kUnknown && rule.rule.Mentions(question)) return true;
  }
  return false;
}

// Whether an answer to `question` could still change the outcome, given
// the level already reached.
bool IsRelevant(const CompiledDialog& dialog, const Knowledge& known,
                int question, Level level) {
  for (const CompiledRedFlag& flag : dialog.red_flags) {
    if (MoreUrgent(flag.level, level) && flag.rule.Mentions(question) &&
        known.Of(flag.rule) == Truth::kUnknown) {
      return true;
    }
  }
  if (level == triage::v1::LEVEL_SELF_CARE &&
      (MattersToFirstMatch(dialog.technique_rules, known, question) ||
       MattersToFirstMatch(dialog.frequency_rules, known, question))) {
    return true;
  }
  // A question that decides whether a relevant later question is asked.
  for (int later : dialog.questions[question].gates) {
    if (known.Of(dialog.questions[later].ask_if) != Truth::kFalse &&
        IsRelevant(dialog, known, later, level)) {
      return true;
    }
  }
  return false;
}

bool WouldAsk(const CompiledDialog& dialog, const Knowledge& known,
              int question, Level level) {
  return known.Of(dialog.questions[question].ask_if) != Truth::kFalse &&
         IsRelevant(dialog, known, question, level);
}

int LastAnswered(const SessionState& state) {
  for (int q = static_cast<int>(state.answers.size()) - 1; q >= 0; --q) {
    if (state.answers[q] != 0) return q;
  }
  return -1;
}

template <typename Rules>
int FirstHolding(const Rules& rules, const Knowledge& known) {
  for (size_t i = 0; i < rules.size(); ++i) {
    if (known.Of(rules[i].rule) == Truth::kTrue) return static_cast<int>(i);
  }
  return -1;
}

Step Outcome(const CompiledDialog& dialog, const SessionState& state) {
  const int n = static_cast<int>(dialog.questions.size());
  const Knowledge closed{state, n};  // Every unanswered question is passed.
  Step step;
  step.finished = true;
  step.level = triage::v1::LEVEL_SELF_CARE;
  for (int i = 0; i < static_cast<int>(dialog.red_flags.size()); ++i) {
    const CompiledRedFlag& flag = dialog.red_flags[i];
    if (closed.Of(flag.rule) == Truth::kTrue) {
      step.fired_flags.push_back(i);
      if (MoreUrgent(flag.level, step.level)) step.level = flag.level;
    }
  }
  std::stable_sort(step.fired_flags.begin(), step.fired_flags.end(),
                   [&](int a, int b) {
                     return MoreUrgent(dialog.red_flags[a].level,
                                       dialog.red_flags[b].level);
                   });
  if (step.level == triage::v1::LEVEL_SELF_CARE) {
    step.technique_rule = FirstHolding(dialog.technique_rules, closed);
    step.frequency_rule = FirstHolding(dialog.frequency_rules, closed);
  }
  for (OptionMask answer : state.answers) step.answered += answer != 0;
  return step;
}

}  // namespace

SessionState NewSessionState(const CompiledDialog& dialog) {
  return SessionState{std::vector<OptionMask>(dialog.questions.size(), 0)};
}

Step NextStep(const CompiledDialog& dialog, const SessionState& state) {
  const int n = static_cast<int>(dialog.questions.size());
  for (int q = LastAnswered(state) + 1; q < n; ++q) {
    const Knowledge known{state, q};
    const Level level = KnownLevel(dialog, known);
    if (level == triage::v1::LEVEL_EMERGENCY) break;
    if (!WouldAsk(dialog, known, q, level)) continue;
    Step step;
    step.question = q;
    for (OptionMask answer : state.answers) step.answered += answer != 0;
    step.remaining_at_most = 1;
    for (int later = q + 1; later < n; ++later) {
      step.remaining_at_most += WouldAsk(dialog, known, later, level);
    }
    return step;
  }
  return Outcome(dialog, state);
}

absl::Status ValidateOptions(const CompiledQuestion& question,
                             OptionMask options) {
  if (options == 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "option_ids: choose at least one option for question \"%s\"",
        question.id));
  }
  const size_t count = question.options.size();
  if (count < kMaxOptionsPerQuestion && (options >> count) != 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "option_ids: question \"%s\" has only %d options", question.id,
        count));
  }
  const bool several = (options & (options - 1)) != 0;
  if (several && !question.multiple_choice()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "option_ids: question \"%s\" takes exactly one option", question.id));
  }
  if (several) {
    for (size_t o = 0; o < count; ++o) {
      if (question.options[o].exclusive && (options >> o) & 1) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "option_ids: option \"%s\" of question \"%s\" cannot be combined "
            "with other options",
            question.options[o].id, question.id));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyAnswer(const CompiledDialog& dialog, int question,
                         OptionMask options, SessionState* state) {
  return ApplyAnswerAt(dialog, NextStep(dialog, *state), question, options, state);
}

absl::Status ApplyAnswerAt(const CompiledDialog& dialog, const Step& step,
                           int question, OptionMask options, SessionState* state) {
  if (step.finished) {
    return absl::FailedPreconditionError(
        "the conversation has finished; go back, restart, or start a new "
        "session");
  }
  if (question != step.question) {
    const std::string asked =
        question >= 0 && question < static_cast<int>(dialog.questions.size())
            ? dialog.questions[question].id
            : "(unknown)";
    return absl::FailedPreconditionError(absl::StrFormat(
        "question \"%s\" is not the current question; the current question "
        "is \"%s\" (fetch the session and answer that)",
        asked, dialog.questions[step.question].id));
  }
  const absl::Status valid = ValidateOptions(dialog.questions[question], options);
  if (!valid.ok()) return valid;
  state->answers[question] = options;
  return absl::OkStatus();
}

bool HasAnswers(const SessionState& state) { return LastAnswered(state) >= 0; }

std::vector<AnswerIds> AnswersAsIds(const CompiledDialog& dialog,
                                    const SessionState& state) {
  std::vector<AnswerIds> answers;
  for (size_t q = 0; q < state.answers.size(); ++q) {
    if (state.answers[q] == 0) continue;
    AnswerIds answer{dialog.questions[q].id, {}};
    for (size_t o = 0; o < dialog.questions[q].options.size(); ++o) {
      if ((state.answers[q] >> o) & 1) answer.options.push_back(dialog.questions[q].options[o].id);
    }
    answers.push_back(std::move(answer));
  }
  return answers;
}

absl::Status GoBack(SessionState* state) {
  const int last = LastAnswered(*state);
  if (last < 0) {
    return absl::FailedPreconditionError(
        "there is no earlier answer to go back to");
  }
  state->answers[last] = 0;
  return absl::OkStatus();
}

}  // namespace backchat::engine
