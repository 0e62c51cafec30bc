// `backchat dialog ...`: work on dialog files without a server.
#ifndef BACKCHAT_CLIENT_CLI_DIALOG_COMMANDS_H_
#define BACKCHAT_CLIENT_CLI_DIALOG_COMMANDS_H_

#include <ostream>
#include <string>
#include <vector>

namespace backchat::cli {

// args: "check PATH" or "graph PATH [SVG_FILE]" (PATH: a dialog file or a
// directory). check prints the summary of every dialog, or every problem
// with its path, and returns 0 only if all are safe. graph prints DOT for
// every dialog; with SVG_FILE it runs Graphviz's dot to write the picture.
// "diff OLD NEW" prints what changes from OLD to NEW (dialog_diff.h; as
// JSON with `json`) and returns 0 when nothing does, 1 when something does,
// 2 when a path cannot be loaded. "report PATH OUT.html [APPROVED_PATH]"
// writes safety_report.h's page for the one dialog of PATH (its approval
// from approvals.txtpb beside it; the diff from APPROVED_PATH if given).
// Otherwise returns an exit code of conversation_loop.h.
int RunDialogCommand(const std::vector<std::string>& args, bool json, std::ostream& out,
                     std::ostream& err);

}  // namespace backchat::cli

#endif  // BACKCHAT_CLIENT_CLI_DIALOG_COMMANDS_H_
