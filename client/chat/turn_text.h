// A Turn as plain chat text: the one rendering every chat channel uses.
#ifndef BACKCHAT_CLIENT_CHAT_TURN_TEXT_H_
#define BACKCHAT_CLIENT_CHAT_TURN_TEXT_H_

#include <string>

#include "backchat/triage/v1/types.pb.h"

namespace backchat::chat {

// In the turn's language (Turn.locale). A question: the notice, progress,
// the question and its help, the options numbered from 1, and how to
// answer (`buttons`: the channel also shows the options as buttons). An
// outcome: its level and headline on the first line, so that the
// EMERGENCY instruction comes before anything else, then the next steps,
// the red flags, the self-care plan, the disclaimer, the notice, and how
// to begin again.
std::string TurnText(const triage::v1::Turn& turn, bool buttons);

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_TURN_TEXT_H_
