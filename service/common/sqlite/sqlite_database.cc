#include "service/common/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <map>

#include "absl/strings/str_cat.h"

namespace backchat::store {

absl::StatusOr<std::shared_ptr<SqliteDatabase>> SqliteDatabase::Shared(
    const std::string& path, bool synchronous_full) {
  static absl::Mutex open_mu(absl::kConstInit);
  static auto* open = new std::map<std::string, std::weak_ptr<SqliteDatabase>>();
  absl::MutexLock lock(&open_mu);
  if (auto existing = (*open)[path].lock()) return existing;

  std::shared_ptr<SqliteDatabase> database(new SqliteDatabase(path));
  absl::MutexLock db_lock(&database->mu_);
  if (sqlite3_open_v2(path.c_str(), &database->db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return database->Error("database", "cannot open the database");
  }
  const std::string pragmas = absl::StrCat(
      "PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; "
      // Deleted sessions, records and chats are overwritten, not left in
      // free pages: a deletion on request must really delete.
      "PRAGMA secure_delete=ON; "
      "PRAGMA synchronous=",
      synchronous_full ? "FULL" : "NORMAL", ";");
  if (sqlite3_exec(database->db_, pragmas.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    const int code = sqlite3_errcode(database->db_);
    return database->Error(
        "database", code == SQLITE_BUSY || code == SQLITE_LOCKED
                        ? "cannot set up the database (is another backchat_server "
                          "using this file? one process per file)"
                        : "cannot set up the database");
  }
  database->group_commit_ = std::make_unique<SqliteGroupCommit>(database.get());
  (*open)[path] = database;
  return database;
}

SqliteDatabase::~SqliteDatabase() {
  group_commit_.reset();  // its statements go before the connection
  sqlite3_close(db_);
}

absl::Status SqliteDatabase::Error(absl::string_view prefix, absl::string_view doing) const {
  return absl::UnavailableError(absl::StrCat(prefix, " (", path_, "): ", doing, ": ",
                                             db_ != nullptr ? sqlite3_errmsg(db_)
                                                            : "out of memory"));
}

}  // namespace backchat::store
