#include "client/chat/chat_store.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/common/sqlite/sqlite_statement.h"

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

// After kSchema has made the new `chats` beside the renamed old one: the
// shared columns move over; the old table stays as chats_v1 only while a
// row of it holds platform state (see the header).
constexpr char kCopyFromV1[] = R"sql(
INSERT INTO chats (channel, chat_key, session_id, locale, question_id, multiple_choice,
                   updated_micros)
  SELECT channel, chat_key, session_id, locale, question_id, multiple_choice, updated_micros
  FROM chats_v1;
)sql";

// Under the database's mutex.
absl::StatusOr<bool> HasColumn(store::SqliteDatabase& database, const char* table,
                               const char* column) {
  SqliteStatement select(database, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2");
  select.Bind(1, table).Bind(2, column);
  return select.Step();
}

// Under the database's mutex, in a transaction, after kSchema.
absl::Status MigrateFromV1(store::SqliteDatabase& database) {
  if (absl::Status copied = store::ExecSql(database, kCopyFromV1); !copied.ok()) return copied;
  absl::StatusOr<bool> any;
  {
    // Finalized before the DROP: a table cannot go while a statement reads it.
    SqliteStatement platform_state(
        database, "SELECT 1 FROM chats_v1 WHERE keyboard_message_id != 0 OR ticked != '' LIMIT 1");
    any = platform_state.Step();
  }
  if (!any.ok()) return any.status();
  if (*any) return absl::OkStatus();
  return store::ExecSql(database, "DROP TABLE chats_v1");
}

absl::Status CreateOrMigrate(store::SqliteDatabase& database) {
  absl::MutexLock lock(&database.mutex());
  if (absl::Status begun = store::ExecSql(database, "BEGIN IMMEDIATE"); !begun.ok()) return begun;
  absl::StatusOr<bool> v1 = HasColumn(database, "chats", "keyboard_message_id");
  absl::Status status = v1.status();
  const bool migrate = status.ok() && *v1;
  if (migrate) status = store::ExecSql(database, "ALTER TABLE chats RENAME TO chats_v1");
  if (status.ok()) status = store::ExecSql(database, kSchema);
  if (status.ok() && migrate) status = MigrateFromV1(database);
  if (status.ok()) status = store::ExecSql(database, "COMMIT");
  if (!status.ok()) store::ExecSql(database, "ROLLBACK").IgnoreError();
  return status;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChatStore>> ChatStore::Open(const std::string& path) {
  auto database = store::SqliteDatabase::Shared(path, /*synchronous_full=*/true);
  if (!database.ok()) return database.status();
  std::unique_ptr<ChatStore> chats(new ChatStore(*std::move(database)));
  if (absl::Status ready = CreateOrMigrate(*chats->database_); !ready.ok()) return ready;
  return chats;
}

absl::StatusOr<std::optional<ChatState>> ChatStore::Find(const std::string& channel,
                                                         const std::string& chat_key) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement select(*database_,
                         "SELECT session_id, locale, question_id, multiple_choice FROM chats "
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
  return state;
}

absl::Status ChatStore::Save(const std::string& channel, const std::string& chat_key,
                             const ChatState& state) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement upsert(*database_,
                         "INSERT OR REPLACE INTO chats (channel, chat_key, session_id, locale, "
                         "question_id, multiple_choice, updated_micros) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  upsert.Bind(1, channel)
      .Bind(2, chat_key)
      .Bind(3, state.session_id)
      .Bind(4, state.locale)
      .Bind(5, state.question_id)
      .Bind(6, int64_t{state.multiple_choice})
      .Bind(7, absl::ToUnixMicros(absl::Now()));
  return upsert.Run();
}

void ChatStore::ForgetAlsoIn(std::string table) {
  absl::MutexLock lock(&tables_mu_);
  platform_tables_.push_back(std::move(table));
}

absl::Status ChatStore::Forget(const std::string& channel, const std::string& chat_key) {
  std::vector<std::string> platform_tables;
  {
    absl::MutexLock lock(&tables_mu_);
    platform_tables = platform_tables_;
  }
  absl::MutexLock lock(&database_->mutex());
  // "stop" and a forget request cancel a pending check-in too.
  for (const char* sql : {"DELETE FROM chats WHERE channel = ?1 AND chat_key = ?2",
                          "DELETE FROM check_ins WHERE channel = ?1 AND chat_key = ?2"}) {
    SqliteStatement remove(*database_, sql);
    remove.Bind(1, channel).Bind(2, chat_key);
    if (absl::Status removed = remove.Run(); !removed.ok()) return removed;
  }
  for (const std::string& table : platform_tables) {
    const std::string sql = absl::StrCat("DELETE FROM ", table, " WHERE chat_key = ?1");
    SqliteStatement remove(*database_, sql.c_str());
    remove.Bind(1, chat_key);
    if (absl::Status removed = remove.Run(); !removed.ok()) return removed;
  }
  return absl::OkStatus();
}

}  // namespace backchat::chat
