// The record store of each session backend: memory, SQLite, Redis.
#ifndef BACKCHAT_SERVICE_RECORDS_RECORD_STORES_H_
#define BACKCHAT_SERVICE_RECORDS_RECORD_STORES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include <thread>

#include "service/records/outcome_counts.h"
#include "service/records/record_store.h"
#include "service/store/open_session_store.h"
#include "service/store/redis_connection.h"
#include "service/store/redis_pipeline.h"
#include "service/common/sqlite/sqlite_database.h"

struct sqlite3;
struct sqlite3_stmt;

namespace backchat::records {

class MemoryRecordStore final : public RecordStore {
 public:
  absl::Status Append(const TriageRecord& record) override;
  absl::StatusOr<std::vector<TriageRecord>> List(absl::Time since, size_t limit) override;
  absl::StatusOr<int64_t> DeleteFinishedBefore(absl::Time cutoff) override;
  absl::Status Delete(absl::string_view record_id) override;
  absl::Status AddCheckIn(const triage::v1::CheckIn& check_in) override;
  absl::Status KeepQuestionnaire(absl::string_view key, absl::string_view json) override;
  absl::StatusOr<std::string> FindQuestionnaire(absl::string_view key) override;

 private:
  absl::Mutex mu_;
  std::vector<TriageRecord> records_ ABSL_GUARDED_BY(mu_);  // In finishing order.
  absl::flat_hash_map<std::string, std::string> questionnaires_ ABSL_GUARDED_BY(mu_);
};

// A `records` table in the sessions' SQLite file (the same connection), and
// a `questionnaires` table beside it.
class SqliteRecordStore final : public RecordStore {
 public:
  // `synchronous_full` as for the session store of the same file (FULL
  // survives power loss; NORMAL a crash of the process).
  static absl::StatusOr<std::unique_ptr<SqliteRecordStore>> Open(
      const std::string& path, bool synchronous_full = false);
  ~SqliteRecordStore() override;
  absl::Status Append(const TriageRecord& record) override;
  absl::StatusOr<std::vector<TriageRecord>> List(absl::Time since, size_t limit) override;
  absl::StatusOr<int64_t> DeleteFinishedBefore(absl::Time cutoff) override;
  absl::Status Delete(absl::string_view record_id) override;
  absl::Status AddCheckIn(const triage::v1::CheckIn& check_in) override;
  absl::Status KeepQuestionnaire(absl::string_view key, absl::string_view json) override;
  absl::StatusOr<std::string> FindQuestionnaire(absl::string_view key) override;

 private:
  explicit SqliteRecordStore(std::shared_ptr<store::SqliteDatabase> database)
      : database_(std::move(database)), mu_(database_->mutex()), db_(database_->connection()) {}
  absl::Status Error(absl::string_view doing) { return database_->Error("record store", doing); }
  class RecordWrite;
  std::shared_ptr<store::SqliteDatabase> database_;
  absl::Mutex& mu_;  // The database's.
  sqlite3* db_;
  sqlite3_stmt* insert_ ABSL_GUARDED_BY(mu_) = nullptr;  // prepared on first use
};

// A sorted set in Redis, scored by finishing time (shared by replicas), and
// a hash KEY:questionnaires.
//
// Inside a DeferredWrites scope, Append() returns at once: once the
// scope's earlier writes (the answer's session) are saved, the record goes
// out on a RedisPipeline, and the call waits for it. A record whose answer
// failed is not written; one Redis then refuses is logged, and does not
// fail the answer, which is saved (its Turn.record_id then names no
// record).
class RedisRecordStore final : public RecordStore {
 public:
  explicit RedisRecordStore(store::RedisAddress address,
                            std::string key = "backchat:records")
      : redis_(address), pipeline_(address), key_(std::move(key)) {}
  absl::Status Append(const TriageRecord& record) override;
  void AwaitWrites() override { pipeline_.Drain(); }
  absl::StatusOr<std::vector<TriageRecord>> List(absl::Time since, size_t limit) override;
  absl::StatusOr<int64_t> DeleteFinishedBefore(absl::Time cutoff) override;
  absl::Status Delete(absl::string_view record_id) override;
  absl::Status AddCheckIn(const triage::v1::CheckIn& check_in) override;
  absl::Status KeepQuestionnaire(absl::string_view key, absl::string_view json) override;
  absl::StatusOr<std::string> FindQuestionnaire(absl::string_view key) override;

 private:
  store::RedisConnection redis_;
  store::RedisPipeline pipeline_;
  const std::string key_;
};

// The Redis of `config` (--redis_address, --redis_database).
// INVALID_ARGUMENT if the address is not host:port.
absl::StatusOr<store::RedisAddress> RedisAddressOf(const store::StoreConfig& config);

// The record store beside the configured session store: the same SQLite
// file, the same Redis, or memory.
absl::StatusOr<std::unique_ptr<RecordStore>> OpenRecordStore(
    const store::StoreConfig& config);

// Deletes records finished more than `keep` ago, and the dashboard's
// counts of days before then (`counts` may be null), now and then every
// `every`, on a thread of its own, until destroyed.
class RecordRetention {
 public:
  RecordRetention(RecordStore* records, absl::Duration keep, absl::Duration every,
                  OutcomeCounts* counts = nullptr);
  ~RecordRetention();

 private:
  void Loop();
  RecordStore* records_;
  OutcomeCounts* counts_;
  const absl::Duration keep_;
  const absl::Duration every_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace backchat::records

#endif  // BACKCHAT_SERVICE_RECORDS_RECORD_STORES_H_
