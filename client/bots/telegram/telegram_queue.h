// The Telegram bridge's durable queues, in the bridge's state file:
//  - the inbox: updates received (by long polling or the webhook) and not
//    yet handled, with the getUpdates offset advanced in the same
//    transaction, so an update is neither handled twice nor skipped across
//    restarts;
//  - the outbox: Bot API calls (messages, button changes) decided for
//    handled updates, written in the same transaction that removes the
//    update from the inbox, and deleted once Telegram accepted them.
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_QUEUE_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_QUEUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "service/common/sqlite/sqlite_database.h"

namespace backchat::telegram {

struct InboxUpdate {
  int64_t update_id = 0;
  std::string json;  // the update as Telegram sent it
  // The chat's question when the update arrived (see
  // ChatConversations::HandleMessage).
  std::string shown_question_id;
  bool told_unavailable = false;  // the person was told to try again
};

struct OutboxCall {
  int64_t id = 0;  // set by the queue
  int64_t chat_id = 0;
  std::string method;  // "sendMessage", "answerCallbackQuery", ...
  std::string json;
  // For a sendMessage carrying a question's buttons: that question, so the
  // message id Telegram gives it becomes the chat's keyboard message.
  std::string question_id;
};

// Thread-safe.
class TelegramQueue {
 public:
  static absl::StatusOr<std::unique_ptr<TelegramQueue>> Open(store::SqliteDatabase* database);

  // Adds updates and raises the next getUpdates offset to `next_offset`,
  // in one transaction. Updates below the offset so far were received
  // before, and are ignored (Telegram delivers in order: getUpdates by its
  // offset, the webhook with max_connections 1).
  absl::Status AddUpdates(const std::vector<InboxUpdate>& updates, int64_t next_offset);
  absl::StatusOr<int64_t> NextOffset();

  // The oldest update not handled yet.
  absl::StatusOr<std::optional<InboxUpdate>> OldestUpdate();
  // Removes the update and adds `calls`, in one transaction.
  absl::Status FinishUpdate(int64_t update_id, const std::vector<OutboxCall>& calls);
  // Keeps the update for later, marks the person told, and adds `calls`.
  absl::Status PostponeUpdate(int64_t update_id, const std::vector<OutboxCall>& calls);

  absl::StatusOr<std::optional<OutboxCall>> OldestCall();
  absl::Status RemoveCall(int64_t id);

 private:
  explicit TelegramQueue(store::SqliteDatabase* database) : database_(database) {}
  absl::Status AddCalls(const std::vector<OutboxCall>& calls);  // under the mutex
  // Runs `body` between BEGIN and COMMIT (ROLLBACK if it fails).
  template <typename Body>
  absl::Status InTransaction(Body body);

  store::SqliteDatabase* database_;
};

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_QUEUE_H_
