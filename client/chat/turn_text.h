// A Turn as plain chat text: the one rendering every chat channel uses.
#ifndef BACKCHAT_CLIENT_CHAT_TURN_TEXT_H_
#define BACKCHAT_CLIENT_CHAT_TURN_TEXT_H_

#include <string>

#include "backchat/triage/v1/types.pb.h"

namespace backchat::chat {

// In the turn's language (Turn.locale). A question: what the previous
// typed answer was read as (Turn.read_back) and how to change it, the
// notice, progress, the question and its help, the options numbered from
// 1, and how to answer (`buttons`: the channel also shows the options as
// buttons); while a reading waits for confirmation, the proposal and how
// to reply take the place of the help and options. An
// outcome: its level and headline on the first line, so that the
// EMERGENCY instruction comes before anything else, then the next steps,
// one line per action (client/common/action_text.h: what to do now comes
// before the reasons, and in the first part of a long reply), the red
// flags, the self-care plan, the disclaimer, the notice, the read back,
// and how to begin again.
std::string TurnText(const triage::v1::Turn& turn, bool buttons);

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_TURN_TEXT_H_
