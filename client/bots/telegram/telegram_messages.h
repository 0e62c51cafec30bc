// The Bot API's vocabulary as the bridge uses it: JSON in and out through
// bot_api.proto, the bodies of the calls it makes, the keyboards, and the
// buttons' callback data.
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_MESSAGES_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_MESSAGES_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "backchat/triage/v1/types.pb.h"
#include "client/bots/telegram/bot_api.pb.h"

namespace backchat::telegram {

// Telegram's limit for one message's text.
inline constexpr size_t kMaxMessageLength = 4096;

// Reads Bot API JSON into `message`, ignoring fields bot_api.proto does not
// name. INVALID_ARGUMENT with the parser's message otherwise.
absl::Status ParseBotApiJson(absl::string_view json, google::protobuf::Message* message);
// Writes `message` as Bot API JSON: Telegram's field names, and empty
// lists kept (an empty inline_keyboard removes a message's buttons).
std::string BotApiJson(const google::protobuf::Message& message);

// What a button press means. Data is at most 64 bytes; these are a few.
struct ButtonPress {
  // kAccept and kRefuse reply to a proposed reading ("y", "n"); kOfferYes
  // and kOfferNo to a check-in offer ("o:y", "o:n"); kCheckIn answers a
  // check-in ("c:N", chat/check_ins.h's choices).
  enum class Kind { kAnswer, kTick, kDone, kAccept, kRefuse, kOfferYes, kOfferNo, kCheckIn } kind;
  int number = 0;  // the option, from 1 (kAnswer, kTick, kCheckIn)
};
std::optional<ButtonPress> ParseButtonData(absl::string_view data);

// The question's options as an inline keyboard, one button per row:
// single choice answers at once ("a:N"); multiple choice ticks ("t:N",
// a tick mark on the ticked numbers) and ends with a Done button ("d").
InlineKeyboardMarkup QuestionKeyboard(const triage::v1::Question& question,
                                      const std::set<int>& ticked, absl::string_view done_label);

// Yes and No, in one row, for a proposed reading (Turn.confirmation).
InlineKeyboardMarkup ConfirmationKeyboard(const triage::v1::Confirmation& confirmation);

// The outcome's booking page as a URL button that Telegram opens; nullopt
// when the outcome offers no booking. Calls stay in the message's text,
// where Telegram makes numbers tappable: its buttons open only http(s)
// and tg:// URLs, not tel:.
std::optional<InlineKeyboardMarkup> OutcomeKeyboard(const triage::v1::Outcome& outcome);

// Yes and No, in one row, for a check-in offer in `locale` ("o:y", "o:n").
InlineKeyboardMarkup OfferKeyboard(absl::string_view locale);

// A check-in's four choices in `locale`, one per row ("c:1".."c:4").
InlineKeyboardMarkup CheckInKeyboard(absl::string_view locale);

// No buttons: removes a message's buttons.
InlineKeyboardMarkup NoKeyboard();

// The JSON bodies of sendMessage, editMessageReplyMarkup and
// answerCallbackQuery (`text` empty: no notification).
std::string SendMessageJson(int64_t chat_id, absl::string_view text,
                            const std::optional<InlineKeyboardMarkup>& keyboard = std::nullopt);
std::string EditKeyboardJson(int64_t chat_id, int64_t message_id,
                             const InlineKeyboardMarkup& keyboard);
std::string AnswerCallbackJson(absl::string_view callback_query_id, absl::string_view text);

// "1 3" <-> {1, 3}; unreadable parts are skipped.
std::set<int> ParseTicked(absl::string_view ticked);
std::string FormatTicked(const std::set<int>& ticked);

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_MESSAGES_H_
