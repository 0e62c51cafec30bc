// Group commit for one SQLite file: writes handed over together are saved
// in one transaction, on a thread of the file's own, and each write's
// WriteOutcome is known once that transaction has committed (or failed,
// and then nothing of it was written). Under load one commit carries the
// writes of many calls at the cost of one, and no caller waits for it
// unless it asks to (see common/deferred_writes.h).
#ifndef BACKCHAT_SERVICE_COMMON_SQLITE_GROUP_COMMIT_H_
#define BACKCHAT_SERVICE_COMMON_SQLITE_GROUP_COMMIT_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "service/common/batch_worker.h"
#include "service/common/deferred_writes.h"

struct sqlite3;
struct sqlite3_stmt;

namespace backchat::store {

class SqliteDatabase;

// One write; a store derives one per kind of write.
class SqliteWrite {
 public:
  // A failed batch fails this write with "STORE (path): DOING: SQLite's
  // message", e.g. "session store", "cannot save sessions".
  SqliteWrite(const char* store, const char* doing) : store_(store), doing_(doing) {}
  virtual ~SqliteWrite() = default;
  // Runs inside the batch's transaction, on the writer thread, under the
  // database's mutex. Returns false if SQLite failed: the whole batch is
  // then rolled back. A refusal of this write alone (a session that moved
  // on) is Refuse() and true: the rest of the batch goes on.
  virtual bool Apply(sqlite3* db) = 0;
  // After the batch, still under the mutex, before the outcome is known to
  // anyone: `result` is what it will be (OK, the refusal, or the batch's
  // error), `committed` whether the batch's transaction committed.
  virtual void Settle(const absl::Status& result, bool committed) = 0;

  const std::shared_ptr<WriteOutcome>& outcome() const { return outcome_; }

 protected:
  void Refuse(absl::Status status) { refusal_ = std::move(status); }

 private:
  friend class SqliteGroupCommit;
  const char* const store_;
  const char* const doing_;
  std::shared_ptr<WriteOutcome> outcome_ = std::make_shared<WriteOutcome>();
  absl::Status refusal_;
};

// Thread-safe.
class SqliteGroupCommit {
 public:
  // Starts the writer thread. `database` must outlive this.
  explicit SqliteGroupCommit(SqliteDatabase* database);
  // Saves what was handed over, then ends the thread.
  ~SqliteGroupCommit();
  SqliteGroupCommit(const SqliteGroupCommit&) = delete;
  SqliteGroupCommit& operator=(const SqliteGroupCommit&) = delete;

  // Queues `write` for the next transaction; returns its outcome.
  std::shared_ptr<WriteOutcome> Submit(std::unique_ptr<SqliteWrite> write);
  // Waits until every write handed over so far has its outcome: for a
  // store about to go away, whose writes use its statements.
  void Drain() { writer_.Drain(); }
  // Transactions committed so far: fewer than the writes under load.
  uint64_t commits() const { return commits_.load(); }

 private:
  // Saves `batch` in one transaction, then completes each write's outcome
  // (outside every lock: what waits for it, a call's answer, may take a
  // while and lock other things).
  void Save(std::vector<std::unique_ptr<SqliteWrite>>& batch);
  // Saves `batch` in one transaction and settles each write (under the
  // database's mutex); returns each write's outcome.
  std::vector<absl::Status> SaveBatch(const std::vector<std::unique_ptr<SqliteWrite>>& batch);

  SqliteDatabase* const database_;
  sqlite3_stmt* begin_ = nullptr;   // under the database's mutex
  sqlite3_stmt* commit_ = nullptr;  // under the database's mutex
  std::atomic<uint64_t> commits_{0};
  BatchWorker<std::unique_ptr<SqliteWrite>> writer_;  // last: its thread uses the above
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_COMMON_SQLITE_GROUP_COMMIT_H_
