#include "service/common/sqlite/sqlite_statement.h"

#include <sqlite3.h>

namespace backchat::store {

SqliteStatement::SqliteStatement(SqliteDatabase& database, const char* sql)
    : database_(database), sql_(sql) {
  if (sqlite3_prepare_v2(database_.connection(), sql, -1, &statement_, nullptr) !=
      SQLITE_OK) {
    status_ = database_.Error("state", "cannot prepare a statement");
  }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(statement_); }

SqliteStatement& SqliteStatement::Bind(int index, absl::string_view text) {
  if (statement_ != nullptr) {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t number) {
  if (statement_ != nullptr) sqlite3_bind_int64(statement_, index, number);
  return *this;
}

absl::StatusOr<bool> SqliteStatement::Step() {
  if (!status_.ok()) return status_;
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  status_ = database_.Error("state", "a statement failed");
  return status_;
}

absl::Status SqliteStatement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

std::string SqliteStatement::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(statement_, index);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(statement_, index)));
}

int64_t SqliteStatement::ColumnInt(int index) const {
  return sqlite3_column_int64(statement_, index);
}

absl::Status ExecSql(SqliteDatabase& database, const char* sql) {
  if (sqlite3_exec(database.connection(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return database.Error("state", "cannot run SQL");
  }
  return absl::OkStatus();
}

}  // namespace backchat::store
