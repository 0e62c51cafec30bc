// Visits every possible conversation of a dialog: the basis of the dialog
// check, the dialog graph and generated transcripts.
//
// The engine reads an answer only through the clauses of rules, ask_if
// conditions and the gentle-technique requirement. Two answers to a
// question that make the same clauses true are therefore indistinguishable
// to the engine now and later, and one representative of each such class
// stands for all of them. Exploring one answer per class, for every
// question on every path, covers every possible answer combination
// exactly: it is a proof, not a sample.
#ifndef BACKCHAT_SERVICE_DIALOG_TOOLS_PATH_EXPLORER_H_
#define BACKCHAT_SERVICE_DIALOG_TOOLS_PATH_EXPLORER_H_

#include <functional>
#include <string>
#include <vector>

#include "service/engine/compiled_dialog.h"
#include "service/engine/engine.h"

namespace backchat::engine {

// Answers of one question that the engine cannot tell apart.
struct AnswerClass {
  OptionMask representative = 0;
  // How many valid answers the class stands for.
  double size = 1;
};

// The classes of valid answers to `question` (empty, with `error` set, if
// a multiple-choice question has more than 20 distinguishable options).
std::vector<AnswerClass> AnswerClasses(const CompiledDialog& dialog,
                                       int question, std::string* error);

// The same for any question: its options' exclusive flags, whether it is
// multiple choice, and the option masks of every clause that reads it
// (dialog_diff.h joins two versions' clauses this way).
std::vector<AnswerClass> AnswerClassesOf(absl::string_view question_id,
                                         const std::vector<bool>& exclusive,
                                         bool multiple_choice,
                                         const std::vector<OptionMask>& masks,
                                         std::string* error);

// Every clause option mask of `dialog` that concerns `question`: ask_if
// conditions, red flags, technique and frequency rules, the gentle rule.
std::vector<OptionMask> ClauseMasks(const CompiledDialog& dialog, int question);

// One answered question of a path.
struct PathStep {
  int question = 0;
  OptionMask answer = 0;
};

// A finished conversation.
struct ExploredPath {
  std::vector<PathStep> steps;
  SessionState state;
  Step outcome;
  // How many answer combinations this path stands for.
  double combinations = 1;
};

struct ExploreResult {
  size_t paths = 0;
  double combinations = 0;
  // Empty when every path was visited; otherwise why not.
  std::string incomplete;
};

// Called after each answer with the state before it, the answer, and the
// step that follows (the next question or the outcome).
using OnAnswer = std::function<void(const std::vector<PathStep>& path_so_far,
                                    const SessionState& after,
                                    const Step& next)>;
using OnOutcome = std::function<void(const ExploredPath& path)>;

// Visits every path depth-first, in dialog option order. Stops (and says
// so in `incomplete`) after `max_paths` paths, or if the engine ever asks a
// question that is not after the previous one.
ExploreResult ExploreAllPaths(const CompiledDialog& dialog,
                              const OnAnswer& on_answer,
                              const OnOutcome& on_outcome,
                              size_t max_paths = 5'000'000);

// Plain (two-valued) truth of a condition list over final answers: true
// when any conjunction holds; false for an empty list. Independent of the
// engine's three-valued evaluation, so the check does not trust it.
bool AnyHolds(const std::vector<Conjunction>& conditions,
              const SessionState& state);

// "question = option + option" per line, then "=> LEVEL ...", for reports
// and golden files.
std::string PathTranscript(const CompiledDialog& dialog,
                           const std::vector<PathStep>& steps, const Step& end);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_DIALOG_TOOLS_PATH_EXPLORER_H_
