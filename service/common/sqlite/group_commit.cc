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
    : database_(database),
      writer_([this](std::vector<std::unique_ptr<SqliteWrite>>& batch) { Save(batch); }) {}

SqliteGroupCommit::~SqliteGroupCommit() {
  writer_.Stop();  // saves what was handed over, before the statements go
  absl::MutexLock lock(&database_->mutex());
  sqlite3_finalize(begin_);
  sqlite3_finalize(commit_);
}

std::shared_ptr<WriteOutcome> SqliteGroupCommit::Submit(std::unique_ptr<SqliteWrite> write) {
  std::shared_ptr<WriteOutcome> outcome = write->outcome();
  writer_.Submit(std::move(write));
  return outcome;
}

void SqliteGroupCommit::Save(std::vector<std::unique_ptr<SqliteWrite>>& batch) {
  const std::vector<absl::Status> results = SaveBatch(batch);
  for (size_t i = 0; i < batch.size(); ++i) batch[i]->outcome()->Complete(results[i]);
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
