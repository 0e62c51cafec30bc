// Sending: the outbox's Bot API calls (telegram_queue.h), oldest first and
// one at a time, honouring flood control (429 retry_after) and retrying
// server errors with backoff; and the check-ins, which the scheduler sends
// itself (check_in_scheduler.h).
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_SENDER_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_SENDER_H_

#include <string>

#include "absl/status/status.h"
#include "client/bots/telegram/bot_api_client.h"
#include "client/bots/telegram/pacer.h"
#include "client/bots/telegram/telegram_chats.h"
#include "client/bots/telegram/telegram_queue.h"
#include "client/chat/check_in_store.h"

namespace backchat::telegram {

// Used by the bridge's worker only (see telegram_bridge.h).
class TelegramSender {
 public:
  // Does not own its collaborators. `api` never abandons a call half-way:
  // a message Telegram took, but whose answer was cut off, would stay in
  // the outbox and be sent again.
  TelegramSender(TelegramQueue* queue, TelegramChats* chats, BotApiClient* api, Pacer* pacer)
      : queue_(queue), chats_(chats), api_(api), pacer_(pacer) {}

  // Sends the whole outbox; false if it stopped on a failure worth
  // retrying later (the state file) or on Pacer::Stop. A call Telegram
  // refuses for good (the person blocked the bot, a button too old) is
  // logged and dropped. A question's buttons, once sent, become the chat's
  // keyboard message (TelegramChats::SetKeyboard).
  bool SendOutbox();

 private:
  TelegramQueue* queue_;
  TelegramChats* chats_;
  BotApiClient* api_;
  Pacer* pacer_;
};

// A check-in's `text` to the chat of `check_in`, with its four buttons,
// through `api`: as check_in_scheduler.h's CheckInSender returns.
absl::Status SendCheckIn(BotApiClient& api, const chat::PendingCheckIn& check_in,
                         const std::string& text);

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_SENDER_H_
