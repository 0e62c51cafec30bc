#include "client/chat/check_in_store.h"

#include <sqlite3.h>

#include "service/common/sqlite/sqlite_statement.h"

namespace backchat::chat {

using store::SqliteStatement;

namespace {

constexpr char kColumns[] =
    "SELECT chat_key, record_id, locale, sealed_address, state, due_micros, attempts "
    "FROM check_ins ";

PendingCheckIn RowOf(const SqliteStatement& select) {
  PendingCheckIn row;
  row.chat_key = select.ColumnText(0);
  row.record_id = select.ColumnText(1);
  row.locale = select.ColumnText(2);
  row.sealed_address = select.ColumnText(3);
  row.state = static_cast<CheckInState>(select.ColumnInt(4));
  row.due = absl::FromUnixMicros(select.ColumnInt(5));
  row.attempts = static_cast<int>(select.ColumnInt(6));
  return row;
}

absl::StatusOr<std::optional<PendingCheckIn>> FirstRow(SqliteStatement& select) {
  absl::StatusOr<bool> row = select.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  return RowOf(select);
}

}  // namespace

absl::StatusOr<std::unique_ptr<CheckInStore>> CheckInStore::Open(store::SqliteDatabase* database,
                                                                 std::string channel) {
  // The table itself is created with the chats (ChatStore::Open), which
  // also forgets a chat's check-in.
  return std::unique_ptr<CheckInStore>(new CheckInStore(database, std::move(channel)));
}

absl::Status CheckInStore::Offer(const PendingCheckIn& offer) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement upsert(*database_,
                         "INSERT OR REPLACE INTO check_ins (channel, chat_key, record_id, "
                         "locale, sealed_address, state, due_micros, attempts) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0)");
  upsert.Bind(1, channel_)
      .Bind(2, offer.chat_key)
      .Bind(3, offer.record_id)
      .Bind(4, offer.locale)
      .Bind(5, offer.sealed_address)
      .Bind(6, static_cast<int64_t>(CheckInState::kOffered));
  return upsert.Run();
}

absl::StatusOr<std::optional<PendingCheckIn>> CheckInStore::Find(const std::string& chat_key) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement select(*database_, (std::string(kColumns) +
                                      "WHERE channel = ?1 AND chat_key = ?2").c_str());
  select.Bind(1, channel_).Bind(2, chat_key);
  return FirstRow(select);
}

absl::StatusOr<bool> CheckInStore::Schedule(const std::string& chat_key, absl::Time due) {
  absl::StatusOr<std::optional<PendingCheckIn>> found = Find(chat_key);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return false;
  return Move(**found, CheckInState::kOffered, CheckInState::kScheduled, due);
}

absl::Status CheckInStore::Remove(const std::string& chat_key) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement remove(*database_,
                         "DELETE FROM check_ins WHERE channel = ?1 AND chat_key = ?2");
  remove.Bind(1, channel_).Bind(2, chat_key);
  return remove.Run();
}

absl::StatusOr<std::optional<PendingCheckIn>> CheckInStore::NextDue(absl::Time now) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement select(*database_, (std::string(kColumns) +
                                      "WHERE channel = ?1 AND state = ?2 AND due_micros <= ?3 "
                                      "ORDER BY due_micros LIMIT 1").c_str());
  select.Bind(1, channel_)
      .Bind(2, static_cast<int64_t>(CheckInState::kScheduled))
      .Bind(3, absl::ToUnixMicros(now));
  return FirstRow(select);
}

absl::StatusOr<bool> CheckInStore::Claim(const PendingCheckIn& check_in) {
  return Move(check_in, CheckInState::kScheduled, CheckInState::kSending, std::nullopt);
}

absl::Status CheckInStore::MarkSent(const PendingCheckIn& check_in) {
  return Move(check_in, CheckInState::kSending, CheckInState::kSent, std::nullopt).status();
}

absl::Status CheckInStore::Retry(const PendingCheckIn& check_in, absl::Time due) {
  PendingCheckIn next = check_in;
  next.attempts = check_in.attempts + 1;
  return Move(next, CheckInState::kSending, CheckInState::kScheduled, due).status();
}

absl::StatusOr<int64_t> CheckInStore::RecoverInterrupted() {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement update(*database_,
                         "UPDATE check_ins SET state = ?2 WHERE channel = ?1 AND state = ?3");
  update.Bind(1, channel_)
      .Bind(2, static_cast<int64_t>(CheckInState::kSent))
      .Bind(3, static_cast<int64_t>(CheckInState::kSending));
  if (absl::Status run = update.Run(); !run.ok()) return run;
  return static_cast<int64_t>(sqlite3_changes(database_->connection()));
}

absl::StatusOr<bool> CheckInStore::Move(const PendingCheckIn& check_in, CheckInState from,
                                        CheckInState to, std::optional<absl::Time> due) {
  absl::MutexLock lock(&database_->mutex());
  SqliteStatement update(
      *database_,
      "UPDATE check_ins SET state = ?5, attempts = ?6, "
      "due_micros = CASE WHEN ?7 THEN ?8 ELSE due_micros END "
      "WHERE channel = ?1 AND chat_key = ?2 AND record_id = ?3 AND state = ?4");
  update.Bind(1, channel_)
      .Bind(2, check_in.chat_key)
      .Bind(3, check_in.record_id)
      .Bind(4, static_cast<int64_t>(from))
      .Bind(5, static_cast<int64_t>(to))
      .Bind(6, int64_t{check_in.attempts})
      .Bind(7, int64_t{due.has_value()})
      .Bind(8, due.has_value() ? absl::ToUnixMicros(*due) : 0);
  if (absl::Status run = update.Run(); !run.ok()) return run;
  return sqlite3_changes(database_->connection()) == 1;
}

}  // namespace backchat::chat
