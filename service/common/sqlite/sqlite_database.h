// One SQLite file, opened once per process and shared by the session and
// record stores that live in it.
#ifndef BACKCHAT_SERVICE_COMMON_SQLITE_SQLITE_DATABASE_H_
#define BACKCHAT_SERVICE_COMMON_SQLITE_SQLITE_DATABASE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "service/common/sqlite/group_commit.h"
#include "service/common/sqlite/wal_checkpointer.h"

struct sqlite3;

namespace backchat::store {

// The connection is used only under mutex(). WAL journal. One process per
// file, as the stores require (their caches must see every write): the
// file is locked (flock) while open, and a second process is refused.
// Writes go through the group commit's one thread; the log is copied back
// into the file by a WalCheckpointer, beside the writer.
class SqliteDatabase {
 public:
  // The process's connection to `path`, opened on first use. Every caller
  // for one path must ask for the same `synchronous_full` (FULL survives
  // power loss; NORMAL a crash of the process). UNAVAILABLE if it cannot
  // be opened.
  static absl::StatusOr<std::shared_ptr<SqliteDatabase>> Shared(
      const std::string& path, bool synchronous_full);
  ~SqliteDatabase();

  absl::Mutex& mutex() { return mu_; }
  sqlite3* connection() { return db_; }
  const std::string& path() const { return path_; }
  // The file's one writer thread, shared by every store in the file, so
  // that their writes share transactions (see group_commit.h).
  SqliteGroupCommit& group_commit() { return *group_commit_; }
  // UNAVAILABLE "PREFIX (path): doing: SQLite's message". Call under mutex().
  absl::Status Error(absl::string_view prefix, absl::string_view doing) const;

 private:
  explicit SqliteDatabase(std::string path) : path_(std::move(path)) {}
  // sqlite3_wal_hook: tells the checkpointer how long the log is.
  static int AfterCommit(void* self, sqlite3* db, const char* name, int log_pages);
  const std::string path_;
  absl::Mutex mu_;
  int lock_fd_ = -1;  // holds the flock: one process per file
  sqlite3* db_ = nullptr;
  std::unique_ptr<WalCheckpointer> checkpointer_;
  std::unique_ptr<SqliteGroupCommit> group_commit_;
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_COMMON_SQLITE_SQLITE_DATABASE_H_
