// What an edit of a dialog changes, for the clinician who signs it off:
// every class of answers whose outcome differs between two versions, and
// every question, option, rule and text added, removed or reworded.
//
// Outcomes are compared by exploring both versions together. Answers are
// matched by question and option id. Each question either version asks is
// answered once for both, with one answer per class of the *joint* answer
// classes: options that no clause of either version tells apart are
// interchangeable in both (path_explorer.h), so, as for the dialog check,
// this covers every answer combination: a proof, not a sample. A
// combination that one version cannot take (an option it does not have,
// or an answer it refuses) is counted apart.
#ifndef BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_DIFF_H_
#define BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_DIFF_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "service/dialog_tools/dialog_registry.h"

namespace backchat::engine {

// One question answered along an example path, by ids.
struct DiffAnswer {
  std::string question;
  std::vector<std::string> options;
};

// Answer classes whose outcomes differ in the same way: the same change
// of level (whatever else differs with it), or, at the same level, the same
// red flags removed and added, technique and frequency.
struct OutcomeChange {
  // What changed, one line each ("level EMERGENCY -> SEE_DOCTOR" alone, or
  // "red flags removed: both_legs_neurological", "technique: swedish ->
  // deep_tissue", "frequency: weekly -> monthly").
  std::vector<std::string> changes;
  // The new level is less urgent than the old: listed first, and marked.
  bool less_urgent = false;
  bool more_urgent = false;
  size_t paths = 0;         // Answer classes (explored paths).
  double combinations = 0;  // Raw answer combinations they stand for.
  // The first such path: its answers, and each version's outcome
  // (PathTranscript's last line).
  std::vector<DiffAnswer> example;
  std::string old_outcome;
  std::string new_outcome;
};

// A question, option, rule or text added, removed or changed.
struct ContentChange {
  std::string kind;   // e.g. "question added", "option label changed"
  std::string where;  // e.g. "question injury, option minor_injury (es)"
  std::string detail; // e.g. "\"old text\" -> \"new text\""
};

struct DialogDiff {
  std::string id;
  std::string old_version;  // Empty when the dialog is new.
  std::string new_version;  // Empty when it was removed.
  // Less urgent first, then more urgent, then the rest; most paths first
  // within each.
  std::vector<OutcomeChange> outcome_changes;
  std::vector<ContentChange> content_changes;
  size_t paths_compared = 0;
  // Answer combinations only one version can take (e.g. a removed option).
  double combinations_one_side_only = 0;

  bool empty() const { return outcome_changes.empty() && content_changes.empty(); }
};

// Compares every dialog of `old_set` with the one of the same id in
// `new_set` (translations included). FAILED_PRECONDITION if a joint
// question has more distinguishable options than can be explored, or the
// exploration exceeds `max_paths`.
absl::StatusOr<std::vector<DialogDiff>> DiffDialogs(const DialogSet& old_set,
                                                    const DialogSet& new_set,
                                                    size_t max_paths = 5'000'000);

// A person-readable report: outcome changes (less urgent first, marked
// "!!"), each with its counts and an example, then content changes.
std::string DiffAsText(const std::vector<DialogDiff>& diffs);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_DIFF_H_
