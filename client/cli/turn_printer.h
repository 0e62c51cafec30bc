// How the CLI shows a Turn: readable text, or one line of JSON.
#ifndef BACKCHAT_CLIENT_CLI_TURN_PRINTER_H_
#define BACKCHAT_CLIENT_CLI_TURN_PRINTER_H_

#include <string>

#include "backchat/triage/v1/types.pb.h"

namespace backchat::cli {

// The turn for a person: what the previous typed answer was read as, the
// notice, then the numbered question and any reading proposed for
// confirmation, or the outcome with its level first and its actions
// ("-> Call 999 now") after the next steps.
std::string TurnAsText(const triage::v1::Turn& turn);

// The turn as one line of JSON (protobuf's JSON mapping, camelCase names).
std::string TurnAsJson(const triage::v1::Turn& turn);

// "EMERGENCY" for LEVEL_EMERGENCY, and so on.
std::string LevelName(triage::v1::Level level);

}  // namespace backchat::cli

#endif  // BACKCHAT_CLIENT_CLI_TURN_PRINTER_H_
