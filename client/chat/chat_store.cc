#include "client/chat/chat_store.h"

#include "absl/time/clock.h"
#include "service/store/sqlite_statement.h"

namespace backchat::chat {

using store::SqliteStatement;

namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS chats (
  channel TEXT NOT NULL,
  chat_key TEXT NOT NULL,
  session_id TEXT NOT NULL,
  locale TEXT NOT NULL,
  question_id TEXT NOT NULL,
  multiple_choice INTEGER NOT NULL,
  keyboard_message_id INTEGER NOT NULL,
  ticked TEXT NOT NULL,
  updated_micros INTEGER NOT NULL,
  PRIMARY KEY (channel, chat_key)
) WITHOUT ROWID;
-- check_in_store.h: one check-in per chat, forgotten with the chat.
CREATE TABLE IF NOT EXISTS check_ins (
  channel TEXT NOT NULL,
  chat_key TEXT NOT NULL,
  record_id TEXT NOT NULL,
  locale TEXT NOT NULL,
  sealed_address TEXT NOT NULL,
  state INTEGER NOT NULL,
  due_micros INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  PRIMARY KEY (channel, chat_key)
) WITHOUT ROWID;
)sql";

}  // namespace

absl::StatusOr<std::unique_ptr<ChatStore>> ChatStore::Open(const std::string& path) {
  auto database = store::SqliteDatabase::Shared(path, /*synchronous_full=*/true);
  if (!database.ok()) return database.status();
  std::unique_ptr<ChatStore> chats(new ChatStore(*std::move(database)));
  absl::MutexLock lock(&chats->database_->mutex());
  const absl::Status status = store::ExecSql(*chats->database_, kSchema);
  if (!status.ok()) return status;
  return chats;
}

absl::StatusOr<std::optional<ChatState>> ChatStore::Find(const std::string& channel,
                                                         const std::string& chat_key) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement select(*database_,
                         "SELECT session_id, locale, question_id, multiple_choice, "
                         "keyboard_message_id, ticked FROM chats "
                         "WHERE channel = ?1 AND chat_key = ?2");
  select.Bind(1, channel).Bind(2, chat_key);
  absl::StatusOr<bool> row = select.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  ChatState state;
  state.session_id = select.ColumnText(0);
  state.locale = select.ColumnText(1);
  state.question_id = select.ColumnText(2);
  state.multiple_choice = select.ColumnInt(3) != 0;
  state.keyboard_message_id = select.ColumnInt(4);
  state.ticked = select.ColumnText(5);
  return state;
}

absl::Status ChatStore::Save(const std::string& channel, const std::string& chat_key,
                             const ChatState& state) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement upsert(
      *database_,
      "INSERT OR REPLACE INTO chats (channel, chat_key, session_id, locale, "
      "question_id, multiple_choice, keyboard_message_id, ticked, updated_micros) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  upsert.Bind(1, channel)
      .Bind(2, chat_key)
      .Bind(3, state.session_id)
      .Bind(4, state.locale)
      .Bind(5, state.question_id)
      .Bind(6, int64_t{state.multiple_choice})
      .Bind(7, state.keyboard_message_id)
      .Bind(8, state.ticked)
      .Bind(9, absl::ToUnixMicros(absl::Now()));
  return upsert.Run();
}

absl::Status ChatStore::Forget(const std::string& channel, const std::string& chat_key) {
  absl::MutexLock lock(&database_->mutex());
  // "stop" and a forget request cancel a pending check-in too.
  for (const char* sql : {"DELETE FROM chats WHERE channel = ?1 AND chat_key = ?2",
                          "DELETE FROM check_ins WHERE channel = ?1 AND chat_key = ?2"}) {
    SqliteStatement remove(*database_, sql);
    remove.Bind(1, channel).Bind(2, chat_key);
    if (absl::Status removed = remove.Run(); !removed.ok()) return removed;
  }
  return absl::OkStatus();
}

}  // namespace backchat::chat
