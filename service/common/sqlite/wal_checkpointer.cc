#include "service/common/sqlite/wal_checkpointer.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "service/common/log_line.h"

namespace backchat::store {

absl::StatusOr<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(
    const std::string& path, bool synchronous_full) {
  sqlite3* db = nullptr;
  const std::string pragmas = absl::StrCat("PRAGMA busy_timeout=5000; PRAGMA synchronous=",
                                           synchronous_full ? "FULL" : "NORMAL",
                                           "; PRAGMA wal_autocheckpoint=0;");
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK ||
      sqlite3_exec(db, pragmas.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    const absl::Status error = absl::UnavailableError(
        absl::StrCat("database (", path, "): cannot open the checkpoint connection: ",
                     db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return error;
  }
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(db));
}

WalCheckpointer::WalCheckpointer(sqlite3* db) : db_(db), thread_([this] { Loop(); }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
  sqlite3_close(db_);
}

void WalCheckpointer::LogGrew(int pages) {
  absl::MutexLock lock(&mu_);
  log_pages_ = pages;
}

int WalCheckpointer::checkpoints() const {
  absl::MutexLock lock(&mu_);
  return checkpoints_;
}

void WalCheckpointer::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto due = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || log_pages_ >= kCheckpointPages;
      };
      mu_.Await(absl::Condition(&due));
      if (stopping_) return;
      log_pages_ = 0;
    }
    // PASSIVE: copies what is committed, beside the writer, never blocking
    // it. The writer starts the log over once everything is copied.
    int log = 0, copied = 0;
    if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) !=
        SQLITE_OK) {
      // Tried again when the log grows; a full disk shows in the writes.
      LogLine("backchat",
              absl::StrCat("a WAL checkpoint failed: ", sqlite3_errmsg(db_)));
    }
    absl::MutexLock lock(&mu_);
    ++checkpoints_;
  }
}

}  // namespace backchat::store
