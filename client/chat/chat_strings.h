// Every text a chat bridge says that does not come from the dialog, in the
// dialog's languages (the server sends the dialog's own texts translated).
// Shared by all chat channels: Telegram, SMS and the generic webhook.
#ifndef BACKCHAT_CLIENT_CHAT_CHAT_STRINGS_H_
#define BACKCHAT_CLIENT_CHAT_CHAT_STRINGS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "backchat/triage/v1/types.pb.h"

namespace backchat::chat {

struct ChatStrings {
  const char* locale;  // "en", "es"
  // "Question $0 of at most $1" (absl::Substitute: the number, the most).
  const char* progress;
  const char* hint_single;           // how to answer, numbers only
  const char* hint_multiple;
  const char* hint_single_buttons;   // where options are buttons too
  const char* hint_multiple_buttons;
  const char* done_button;           // ends a multiple choice on buttons
  const char* level_emergency;
  const char* level_urgent;
  const char* level_see_doctor;
  const char* level_self_care;
  const char* why;
  const char* technique;
  const char* frequency;
  const char* session_length;
  const char* before_session;
  const char* after_session;
  const char* self_massage;
  const char* watch_for;
  const char* after_outcome;    // what to send to begin again
  const char* help;             // the commands, one per line
  const char* try_again;        // BackChat is unreachable
  const char* stopped;          // after "stop"
  const char* nothing_to_stop;
  const char* no_conversation;  // "back" with no conversation
  const char* expired;          // the session expired; a new one began
  const char* unknown_command;
  const char* too_long;         // a message over the answer size limit
  const char* text_only;        // a photo, a sticker...
  const char* stale_button;     // a button of an earlier question
  const char* unknown_button;
  const char* pick_first;    // "Done" with nothing chosen
  const char* confirm_hint;  // how to answer a proposed reading
  const char* confirm_hint_buttons;
  const char* read_back_hint;  // after "You said: ...": how to change it
  const char* no_why;          // "why" about a question without a reason
  // Safety netting (check_ins.h). "$0" is the number of days.
  const char* check_in_offer;      // after a SELF_CARE or SEE_DOCTOR outcome
  const char* check_in_offer_buttons[2];  // yes, no: the offer's buttons where there are
  const char* check_in_scheduled;  // after a clear yes
  const char* check_in_declined;   // after anything else
  const char* check_in_question;   // the check-in itself
  const char* check_in_choices[4];  // better, the same, worse, new symptoms
  const char* check_in_hint;
  const char* check_in_well;   // after better or the same: the signs to watch for
  const char* check_in_again;  // before the new check after worse or new symptoms
};

// The strings for a BCP-47 tag ("es-MX" uses "es"); English otherwise.
const ChatStrings& StringsFor(absl::string_view locale);

// The outcome level as the first words of an outcome ("EMERGENCY").
const char* LevelHeading(const ChatStrings& strings, triage::v1::Level level);

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_CHAT_STRINGS_H_
