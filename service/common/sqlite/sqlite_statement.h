// One SQL statement on a SqliteDatabase, prepared on construction and
// finalized on destruction: for code where a statement per call is cheap
// enough (the chat bridges' state), so it need not keep prepared handles.
#ifndef BACKCHAT_SERVICE_COMMON_SQLITE_SQLITE_STATEMENT_H_
#define BACKCHAT_SERVICE_COMMON_SQLITE_SQLITE_STATEMENT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/common/sqlite/sqlite_database.h"

struct sqlite3_stmt;

namespace backchat::store {

// Use under database.mutex(). Bind() after a failed prepare does nothing;
// the failure comes out of Step() or Run().
class SqliteStatement {
 public:
  SqliteStatement(SqliteDatabase& database, const char* sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameters are numbered from 1 (?1, ?2, ...).
  SqliteStatement& Bind(int index, absl::string_view text);
  SqliteStatement& Bind(int index, int64_t number);

  // true: a row is ready for the Column* calls; false: no more rows.
  absl::StatusOr<bool> Step();
  // Steps until done (for statements that return no rows).
  absl::Status Run();

  std::string ColumnText(int index) const;  // columns from 0
  int64_t ColumnInt(int index) const;

 private:
  SqliteDatabase& database_;
  std::string sql_;
  sqlite3_stmt* statement_ = nullptr;
  absl::Status status_;
};

// Runs `sql` (one or more statements, no parameters), e.g. a schema or
// BEGIN/COMMIT. Use under database.mutex().
absl::Status ExecSql(SqliteDatabase& database, const char* sql);

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_COMMON_SQLITE_SQLITE_STATEMENT_H_
