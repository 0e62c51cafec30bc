// One conversation driven by lines of input: typed by a person
// (interactive) or taken from arguments or stdin (scripted).
#ifndef BACKCHAT_CLIENT_CLI_CONVERSATION_LOOP_H_
#define BACKCHAT_CLIENT_CLI_CONVERSATION_LOOP_H_

#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "client/cli/triage_client.h"

namespace backchat::cli {

// Exit codes of the backchat command.
inline constexpr int kExitOutcome = 0;      // An outcome was reached (or quit).
inline constexpr int kExitRpcError = 1;     // The server refused or failed.
inline constexpr int kExitUsage = 2;        // Bad flags or arguments.
inline constexpr int kExitOutOfInput = 3;   // Input ended before an outcome.

struct LoopOptions {
  // Interactive: prompts, errors are shown and the loop goes on, and after
  // the outcome `back` and `restart` still work. Scripted: no prompts, the
  // first error ends the run, the outcome ends it too.
  bool interactive = false;
  bool json = false;
  std::string dialog_id;
  std::string locale;
};

// Starts a session and answers it from `next_line` (nullopt = no more
// input). The words back, restart and quit are commands; anything else is
// sent as a typed answer. Turns go to `out`, prompts and errors to `err`.
// Returns one of the exit codes above.
int RunConversation(TriageClient& client, const LoopOptions& options,
                    const std::function<std::optional<std::string>()>& next_line,
                    std::ostream& out, std::ostream& err);

}  // namespace backchat::cli

#endif  // BACKCHAT_CLIENT_CLI_CONVERSATION_LOOP_H_
