#include "client/bots/telegram/telegram_chats.h"

#include "backchat/triage/v1/types.pb.h"
#include "service/common/sqlite/sqlite_statement.h"

namespace backchat::telegram {

using store::SqliteStatement;

namespace {

constexpr char kTable[] = "telegram_chats";

constexpr char kChatsSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS telegram_chats (
  chat_key TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  question_id TEXT NOT NULL,
  locale TEXT NOT NULL,
  keyboard_message_id INTEGER NOT NULL,
  ticked TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// Under the database's mutex, in a transaction. Rows already here are
// newer than the old table's, and stay.
absl::Status TakeFromChatsV1(store::SqliteDatabase& database) {
  absl::StatusOr<bool> found;
  {
    // Finalized before the DROP below.
    SqliteStatement exists(
        database, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'chats_v1'");
    found = exists.Step();
  }
  if (!found.ok()) return found.status();
  if (!*found) return absl::OkStatus();
  SqliteStatement copy(database,
                       "INSERT OR IGNORE INTO telegram_chats (chat_key, session_id, question_id, "
                       "locale, keyboard_message_id, ticked) "
                       "SELECT chat_key, session_id, question_id, locale, keyboard_message_id, "
                       "ticked FROM chats_v1 WHERE channel = ?1");
  copy.Bind(1, triage::v1::Channel_Name(triage::v1::CHANNEL_TELEGRAM));
  if (absl::Status copied = copy.Run(); !copied.ok()) return copied;
  return store::ExecSql(database, "DROP TABLE chats_v1");
}

}  // namespace

absl::StatusOr<std::unique_ptr<TelegramChats>> TelegramChats::Open(chat::ChatStore* chats) {
  store::SqliteDatabase& database = chats->database();
  {
    absl::MutexLock lock(&database.mutex());
    absl::Status status = store::ExecSql(database, "BEGIN IMMEDIATE");
    if (!status.ok()) return status;
    status = store::ExecSql(database, kChatsSchema);
    if (status.ok()) status = TakeFromChatsV1(database);
    if (status.ok()) status = store::ExecSql(database, "COMMIT");
    if (!status.ok()) {
      store::ExecSql(database, "ROLLBACK").IgnoreError();
      return status;
    }
  }
  chats->ForgetAlsoIn(kTable);
  return std::unique_ptr<TelegramChats>(new TelegramChats(&database));
}

absl::StatusOr<std::optional<TelegramChat>> TelegramChats::Find(const std::string& chat_key) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement select(*database_,
                         "SELECT session_id, question_id, locale, keyboard_message_id, ticked "
                         "FROM telegram_chats WHERE chat_key = ?1");
  select.Bind(1, chat_key);
  absl::StatusOr<bool> row = select.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  TelegramChat chat;
  chat.chat_key = chat_key;
  chat.session_id = select.ColumnText(0);
  chat.question_id = select.ColumnText(1);
  chat.locale = select.ColumnText(2);
  chat.keyboard_message_id = select.ColumnInt(3);
  chat.ticked = select.ColumnText(4);
  return chat;
}

absl::Status TelegramChats::Save(const TelegramChat& chat) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement upsert(*database_,
                         "INSERT OR REPLACE INTO telegram_chats (chat_key, session_id, "
                         "question_id, locale, keyboard_message_id, ticked) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  upsert.Bind(1, chat.chat_key)
      .Bind(2, chat.session_id)
      .Bind(3, chat.question_id)
      .Bind(4, chat.locale)
      .Bind(5, chat.keyboard_message_id)
      .Bind(6, chat.ticked);
  return upsert.Run();
}

absl::Status TelegramChats::SetKeyboard(const std::string& chat_key,
                                        const std::string& question_id, int64_t message_id) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement update(*database_,
                         "UPDATE telegram_chats SET keyboard_message_id = ?3 "
                         "WHERE chat_key = ?1 AND question_id = ?2");
  update.Bind(1, chat_key).Bind(2, question_id).Bind(3, message_id);
  return update.Run();
}

}  // namespace backchat::telegram
