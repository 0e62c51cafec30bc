#include "service/common/sqlite/group_commit.h"

#include <sqlite3.h>

#include <utility>

#include "service/common/sqlite/sqlite_database.h"

namespace backchat::store {
namespace {

// Steps a statement that returns no rows; true if it succeeded.
bool RunOnce(sqlite3_stmt* statement) {
  const bool done = sqlite3_step(statement) == SQLITE_DONE;
  sqlite3_reset(statement);
  return done;
}

}  // namespace

SqliteGroupCommit::SqliteGroupCommit(SqliteDatabase* database)
    : database_(database), writer_([this] { Loop(); }) {}

SqliteGroupCommit::~SqliteGroupCommit() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
  absl::MutexLock lock(&database_->mutex());
  sqlite3_finalize(begin_);
  sqlite3_finalize(commit_);
}

std::shared_ptr<WriteOutcome> SqliteGroupCommit::Submit(std::unique_ptr<SqliteWrite> write) {
  std::shared_ptr<WriteOutcome> outcome = write->outcome();
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(write));
  return outcome;
}

void SqliteGroupCommit::Drain() {
  absl::MutexLock lock(&mu_);
  auto settled = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return queue_.empty() && !saving_;
  };
  mu_.Await(absl::Condition(&settled));
}

uint64_t SqliteGroupCommit::commits() const {
  absl::MutexLock lock(&mu_);
  return commits_;
}

void SqliteGroupCommit::Loop() {
  while (true) {
    std::vector<std::unique_ptr<SqliteWrite>> batch;
    {
      absl::MutexLock lock(&mu_);
      auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !queue_.empty() || stopping_;
      };
      mu_.Await(absl::Condition(&work));
      if (queue_.empty()) return;  // stopping, and nothing left to save
      // Everything that arrived while the last batch was saved.
      batch.swap(queue_);
      saving_ = true;
    }
    const std::vector<absl::Status> results = SaveBatch(batch);
    // Outcomes outside every lock: what waits for them (a call's answer)
    // may take a while and lock other things.
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->outcome()->Complete(results[i]);
    batch.clear();
    absl::MutexLock lock(&mu_);
    saving_ = false;
  }
}

std::vector<absl::Status> SqliteGroupCommit::SaveBatch(
    const std::vector<std::unique_ptr<SqliteWrite>>& batch) {
  absl::MutexLock lock(&database_->mutex());
  sqlite3* db = database_->connection();
  bool ok = true;
  // Prepared once (tried again after a failure): parsing them was a tenth
  // of a commit's time.
  for (auto [statement, sql] : {std::pair{&begin_, "BEGIN"}, std::pair{&commit_, "COMMIT"}}) {
    if (*statement == nullptr) {
      ok = ok && sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, statement,
                                    nullptr) == SQLITE_OK;
    }
  }
  ok = ok && RunOnce(begin_);
  for (size_t i = 0; ok && i < batch.size(); ++i) ok = batch[i]->Apply(db);
  ok = ok && RunOnce(commit_);
  std::vector<absl::Status> results;
  results.reserve(batch.size());
  if (ok) {
    absl::MutexLock count(&mu_);
    ++commits_;
  } else {
    // Nothing of the batch is written: each write fails with SQLite's
    // message (taken before the ROLLBACK replaces it), so none is
    // acknowledged.
    for (const auto& write : batch) {
      results.push_back(database_->Error(write->store_, write->doing_));
    }
    if (sqlite3_get_autocommit(db) == 0) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (ok) results.push_back(batch[i]->refusal_);
    batch[i]->Settle(results[i], ok);
  }
  return results;
}

}  // namespace backchat::store
