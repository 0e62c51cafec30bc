// Proves a compiled dialog safe by visiting every possible conversation
// (see path_explorer.h). The server runs it at every load and reload and
// refuses a dialog that fails; `backchat dialog check` prints the report.
#ifndef BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_CHECKER_H_
#define BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_CHECKER_H_

#include <array>
#include <string>
#include <vector>

#include "service/engine/compiled_dialog.h"
#include "service/dialog_tools/path_explorer.h"

namespace backchat::engine {

struct CheckReport {
  std::string dialog_id;
  std::string version;
  // Each problem with the offending path as a transcript; at most 10 are
  // kept, problem_count counts all.
  std::vector<std::string> problems;
  size_t problem_count = 0;
  ExploreResult explored;
  // Paths by outcome level (indexed by Level).
  std::array<size_t, 5> outcomes = {};
  size_t shortest = 0;
  size_t longest = 0;
  size_t longest_self_care = 0;
  size_t flags = 0;
  size_t flags_proven = 0;

  bool ok() const { return problem_count == 0; }
  // A few lines: paths, outcomes by level, path lengths, flags.
  std::string Summary() const;
};

// Checks, over every path:
//  a. the outcome is never less urgent than a red flag the answers raised,
//     and names every such flag;
//  b. an answer that raises an EMERGENCY flag ends the dialog at once;
//  c. every SELF_CARE outcome has a technique and a frequency, and a gentle
//     technique wherever require_gentle_technique_when holds;
//  d. every red flag fires on some path, and on some path sets the level;
// and that every question is asked on some path.
CheckReport CheckDialog(const CompiledDialog& dialog);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_DIALOG_TOOLS_DIALOG_CHECKER_H_
