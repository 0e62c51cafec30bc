// The Bot API calls the bridge makes, as JSON bodies, and the buttons'
// callback data.
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_MESSAGES_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_MESSAGES_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "backchat/triage/v1/types.pb.h"

namespace backchat::telegram {

// Telegram's limit for one message's text.
inline constexpr size_t kMaxMessageLength = 4096;

// What a button press means. Data is at most 64 bytes; these are a few.
struct ButtonPress {
  // kAccept and kRefuse reply to a proposed reading ("y", "n"); kCheckIn
  // answers a check-in ("c:N", chat/check_ins.h's choices).
  enum class Kind { kAnswer, kTick, kDone, kAccept, kRefuse, kCheckIn } kind;
  int number = 0;  // the option, from 1 (kAnswer, kTick, kCheckIn)
};
std::optional<ButtonPress> ParseButtonData(absl::string_view data);

// The question's options as an inline keyboard, one button per row:
// single choice answers at once ("a:N"); multiple choice ticks ("t:N",
// a tick mark on the ticked numbers) and ends with a Done button ("d").
std::string QuestionKeyboard(const triage::v1::Question& question,
                             const std::set<int>& ticked,
                             absl::string_view done_label);

// Yes and No, in one row, for a proposed reading (Turn.confirmation).
std::string ConfirmationKeyboard(const triage::v1::Confirmation& confirmation);

// The outcome's booking page as a URL button that Telegram opens; empty
// when the outcome offers no booking. Calls stay in the message's text,
// where Telegram makes numbers tappable: its buttons open only http(s)
// and tg:// URLs, not tel:.
std::string OutcomeKeyboard(const triage::v1::Outcome& outcome);

// A check-in's four choices in `locale`, one per row ("c:1".."c:4").
std::string CheckInKeyboard(absl::string_view locale);

// {"inline_keyboard": []}: removes a message's buttons.
std::string NoKeyboard();

std::string SendMessageJson(int64_t chat_id, absl::string_view text,
                            absl::string_view keyboard_json);
std::string EditKeyboardJson(int64_t chat_id, int64_t message_id,
                             absl::string_view keyboard_json);
std::string AnswerCallbackJson(absl::string_view callback_query_id, absl::string_view text);

// "1 3" <-> {1, 3}; unreadable parts are skipped.
std::set<int> ParseTicked(absl::string_view ticked);
std::string FormatTicked(const std::set<int>& ticked);

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_MESSAGES_H_
