// Handling: what one parsed update means for its chat's conversation, as
// the Bot API calls that answer it (to go into the outbox in the same
// transaction that takes the update out of the inbox). Text goes through
// the check-ins and the shared conversations (check_ins.h); buttons
// answer a question, tick an option, accept or refuse a proposed reading,
// or answer a check-in offer or a check-in.
//
// Per update, the chat's Telegram row (telegram_chats.h) is read once and
// written at most once, and the shared chat row once, inside the
// conversations. Used by the bridge's worker only (see telegram_bridge.h).
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_HANDLER_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_HANDLER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "client/bots/telegram/bot_api.pb.h"
#include "client/bots/telegram/telegram_chats.h"
#include "client/bots/telegram/telegram_queue.h"
#include "client/chat/check_ins.h"

namespace backchat::telegram {

struct Handled {
  // Not OK: BackChat unreachable (client::IsUnreachable) or the state file
  // failing; nothing changed, keep the update for later.
  absl::Status status;
  std::vector<OutboxCall> calls;
  // With an unreachable BackChat: "try again in a moment", in the chat's
  // language, for the bridge to send once per update.
  std::optional<OutboxCall> try_again;
};

class TelegramHandler {
 public:
  // Does not own its collaborators.
  TelegramHandler(chat::CheckIns* check_ins, TelegramChats* chats)
      : check_ins_(check_ins), conversations_(&check_ins->conversations()), chats_(chats) {}

  // `update`, parsed once from the inbox, with the question its chat was
  // on when it arrived (InboxUpdate::shown_question_id). Updates of other
  // kinds (edited messages, channel posts) need nothing.
  Handled Handle(const Update& update, const std::string& shown_question_id);

 private:
  // The chat's Telegram row as it is before the update.
  using Row = std::optional<TelegramChat>;
  Handled HandleMessage(const Message& message, const std::string& shown_question_id,
                        const Row& row);
  Handled HandleCallback(const CallbackQuery& query, const Row& row);
  // After a button press: `answered` (answerCallbackQuery), the pressed
  // message's buttons taken away, then `reply`.
  Handled ButtonReply(int64_t chat_id, int64_t message_id, OutboxCall answered,
                      const chat::ChatReply& reply, const Row& row);
  // The messages of `reply`; a reply that shows a turn moves the chat's
  // Telegram row to it (saved here). Not OK: the state file failed.
  absl::Status AddReply(int64_t chat_id, const chat::ChatReply& reply, const Row& row,
                        std::vector<OutboxCall>* calls);
  // The chat's language for the bridge's own texts: its session's, else
  // the person's app language, else the bridge's default.
  std::string LocaleOf(const Row& row, const std::string& language_hint) const;
  // Handled for a failed step; with the "try again" message when BackChat
  // was not reached.
  Handled Failed(absl::Status status, int64_t chat_id, const Row& row,
                 const std::string& language_hint) const;

  chat::CheckIns* check_ins_;
  chat::ChatConversations* conversations_;
  TelegramChats* chats_;
};

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_HANDLER_H_
