#include "service/common/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "absl/strings/str_cat.h"

namespace backchat::store {

absl::StatusOr<std::shared_ptr<SqliteDatabase>> SqliteDatabase::Shared(
    const std::string& path, bool synchronous_full) {
  static absl::Mutex open_mu(absl::kConstInit);
  static auto* opened = new std::map<std::string, std::weak_ptr<SqliteDatabase>>();
  absl::MutexLock lock(&open_mu);
  if (auto existing = (*opened)[path].lock()) return existing;

  std::shared_ptr<SqliteDatabase> database(new SqliteDatabase(path));
  absl::MutexLock db_lock(&database->mu_);
  // Locked before SQLite opens it, so that a second process touches
  // nothing. Kept open until after SQLite closes the file: closing any
  // descriptor of a file drops the process's POSIX locks on it, SQLite's.
  database->lock_fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (database->lock_fd_ < 0) {
    return absl::UnavailableError(absl::StrCat("database (", path, "): cannot open the file: ",
                                               std::strerror(errno)));
  }
  if (flock(database->lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return absl::UnavailableError(absl::StrCat(
        "database (", path, "): ",
        errno == EWOULDBLOCK
            ? "the file is in use (is another backchat_server using this file? one process "
              "per file)"
            : absl::StrCat("cannot lock the file: ", std::strerror(errno))));
  }
  if (sqlite3_open_v2(path.c_str(), &database->db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return database->Error("database", "cannot open the database");
  }
  const std::string pragmas = absl::StrCat(
      "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; "
      // Deleted sessions, records and chats are overwritten, not left in
      // free pages: a deletion on request must really delete.
      "PRAGMA secure_delete=ON; "
      // The WalCheckpointer copies the log back, not the writer.
      "PRAGMA wal_autocheckpoint=0; "
      "PRAGMA synchronous=",
      synchronous_full ? "FULL" : "NORMAL", ";");
  if (sqlite3_exec(database->db_, pragmas.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return database->Error("database", "cannot set up the database");
  }
  auto checkpointer = WalCheckpointer::Start(path, synchronous_full);
  if (!checkpointer.ok()) return checkpointer.status();
  database->checkpointer_ = *std::move(checkpointer);
  sqlite3_wal_hook(database->db_, &SqliteDatabase::AfterCommit, database.get());
  database->group_commit_ = std::make_unique<SqliteGroupCommit>(database.get());
  (*opened)[path] = database;
  return database;
}

SqliteDatabase::~SqliteDatabase() {
  group_commit_.reset();  // its statements go before the connection
  checkpointer_.reset();
  sqlite3_close(db_);
  if (lock_fd_ >= 0) close(lock_fd_);  // last (see Shared)
}

int SqliteDatabase::AfterCommit(void* self, sqlite3* db, const char*, int log_pages) {
  static_cast<SqliteDatabase*>(self)->checkpointer_->LogGrew(log_pages);
  // Should the checkpointer fall far behind, the writer catches up itself
  // rather than let the log grow without bound.
  if (log_pages >= 16 * WalCheckpointer::kCheckpointPages) {
    sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;
}

absl::Status SqliteDatabase::Error(absl::string_view prefix, absl::string_view doing) const {
  return absl::UnavailableError(absl::StrCat(prefix, " (", path_, "): ", doing, ": ",
                                             db_ != nullptr ? sqlite3_errmsg(db_)
                                                            : "out of memory"));
}

}  // namespace backchat::store
