// An outcome's actions as text, for every client that shows text (the chat
// channels, the CLI).
#ifndef BACKCHAT_CLIENT_COMMON_ACTION_TEXT_H_
#define BACKCHAT_CLIENT_COMMON_ACTION_TEXT_H_

#include <string>

#include "backchat/triage/v1/types.pb.h"

namespace backchat::client {

// One line for `action`: its label, which for a call already shows the
// number ("Call 999 now"), and otherwise its address after a colon ("Book
// a massage: https://clinic.example/book").
std::string ActionLine(const triage::v1::OutcomeAction& action);

}  // namespace backchat::client

#endif  // BACKCHAT_CLIENT_COMMON_ACTION_TEXT_H_
