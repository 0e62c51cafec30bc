#include "client/bots/telegram/telegram_queue.h"

#include "service/common/sqlite/sqlite_statement.h"

namespace backchat::telegram {

using store::SqliteStatement;

namespace {

constexpr char kQueueSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS telegram_inbox (
  update_id INTEGER PRIMARY KEY,
  json TEXT NOT NULL,
  shown_question_id TEXT NOT NULL,
  told_unavailable INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS telegram_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id INTEGER NOT NULL,
  method TEXT NOT NULL,
  json TEXT NOT NULL,
  question_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS telegram_offset (
  id INTEGER PRIMARY KEY CHECK (id = 0),
  next_update_id INTEGER NOT NULL
);
)sql";

}  // namespace

absl::StatusOr<std::unique_ptr<TelegramQueue>> TelegramQueue::Open(
    store::SqliteDatabase* database) {
  std::unique_ptr<TelegramQueue> queue(new TelegramQueue(database));
  absl::MutexLock lock(&database->mutex());
  const absl::Status status = store::ExecSql(*database, kQueueSchema);
  if (!status.ok()) return status;
  return queue;
}

template <typename Body>
absl::Status TelegramQueue::InTransaction(Body body) {
  absl::MutexLock lock(&database_->mutex());
  absl::Status status = store::ExecSql(*database_, "BEGIN IMMEDIATE");
  if (!status.ok()) return status;
  status = body();
  if (status.ok()) status = store::ExecSql(*database_, "COMMIT");
  if (!status.ok()) store::ExecSql(*database_, "ROLLBACK").IgnoreError();
  return status;
}

absl::Status TelegramQueue::AddUpdates(const std::vector<InboxUpdate>& updates,
                                       int64_t next_offset) {
  return InTransaction([&]() -> absl::Status {
    // Updates below the offset were received before: Telegram sent one
    // again (a webhook retry after a lost answer). Skip them.
    SqliteStatement current(*database_, "SELECT next_update_id FROM telegram_offset");
    absl::StatusOr<bool> row = current.Step();
    if (!row.ok()) return row.status();
    const int64_t received_below = *row ? current.ColumnInt(0) : 0;
    for (const InboxUpdate& update : updates) {
      if (update.update_id < received_below) continue;
      SqliteStatement insert(*database_,
                             "INSERT OR IGNORE INTO telegram_inbox "
                             "(update_id, json, shown_question_id) VALUES (?1, ?2, ?3)");
      insert.Bind(1, update.update_id).Bind(2, update.json).Bind(3, update.shown_question_id);
      if (absl::Status status = insert.Run(); !status.ok()) return status;
    }
    SqliteStatement offset(*database_,
                           "INSERT INTO telegram_offset (id, next_update_id) VALUES (0, ?1) "
                           "ON CONFLICT (id) DO UPDATE SET next_update_id = "
                           "max(next_update_id, excluded.next_update_id)");
    offset.Bind(1, next_offset);
    return offset.Run();
  });
}

absl::StatusOr<int64_t> TelegramQueue::NextOffset() {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement select(*database_, "SELECT next_update_id FROM telegram_offset");
  absl::StatusOr<bool> row = select.Step();
  if (!row.ok()) return row.status();
  return *row ? select.ColumnInt(0) : 0;
}

absl::StatusOr<std::optional<InboxUpdate>> TelegramQueue::OldestUpdate() {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement select(*database_,
                         "SELECT update_id, json, shown_question_id, told_unavailable "
                         "FROM telegram_inbox ORDER BY update_id LIMIT 1");
  absl::StatusOr<bool> row = select.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  InboxUpdate update;
  update.update_id = select.ColumnInt(0);
  update.json = select.ColumnText(1);
  update.shown_question_id = select.ColumnText(2);
  update.told_unavailable = select.ColumnInt(3) != 0;
  return update;
}

absl::Status TelegramQueue::AddCalls(const std::vector<OutboxCall>& calls) {
  for (const OutboxCall& call : calls) {
    SqliteStatement insert(*database_,
                           "INSERT INTO telegram_outbox (chat_id, method, json, question_id) "
                           "VALUES (?1, ?2, ?3, ?4)");
    insert.Bind(1, call.chat_id).Bind(2, call.method).Bind(3, call.json).Bind(4, call.question_id);
    if (absl::Status status = insert.Run(); !status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status TelegramQueue::FinishUpdate(int64_t update_id,
                                         const std::vector<OutboxCall>& calls) {
  return InTransaction([&]() -> absl::Status {
    SqliteStatement remove(*database_, "DELETE FROM telegram_inbox WHERE update_id = ?1");
    remove.Bind(1, update_id);
    if (absl::Status status = remove.Run(); !status.ok()) return status;
    return AddCalls(calls);
  });
}

absl::Status TelegramQueue::PostponeUpdate(int64_t update_id,
                                           const std::vector<OutboxCall>& calls) {
  return InTransaction([&]() -> absl::Status {
    SqliteStatement mark(*database_,
                         "UPDATE telegram_inbox SET told_unavailable = 1 WHERE update_id = ?1");
    mark.Bind(1, update_id);
    if (absl::Status status = mark.Run(); !status.ok()) return status;
    return AddCalls(calls);
  });
}

absl::StatusOr<std::optional<OutboxCall>> TelegramQueue::OldestCall() {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement select(*database_,
                         "SELECT id, chat_id, method, json, question_id FROM telegram_outbox "
                         "ORDER BY id LIMIT 1");
  absl::StatusOr<bool> row = select.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  OutboxCall call;
  call.id = select.ColumnInt(0);
  call.chat_id = select.ColumnInt(1);
  call.method = select.ColumnText(2);
  call.json = select.ColumnText(3);
  call.question_id = select.ColumnText(4);
  return call;
}

absl::Status TelegramQueue::RemoveCall(int64_t id) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement remove(*database_, "DELETE FROM telegram_outbox WHERE id = ?1");
  remove.Bind(1, id);
  return remove.Run();
}

}  // namespace backchat::telegram
