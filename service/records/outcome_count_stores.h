// The dashboard's counts in each session backend: memory, SQLite (a table
// in the sessions' file) and Redis (a hash per day, shared by replicas).
#ifndef BACKCHAT_SERVICE_RECORDS_OUTCOME_COUNT_STORES_H_
#define BACKCHAT_SERVICE_RECORDS_OUTCOME_COUNT_STORES_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "service/common/sqlite/sqlite_database.h"
#include "service/records/outcome_counts.h"
#include "service/store/open_session_store.h"
#include "service/store/redis_connection.h"

namespace backchat::records {

class MemoryOutcomeCounts final : public OutcomeCounts {
 public:
  absl::Status Add(const std::vector<Count>& deltas) override;
  absl::StatusOr<std::vector<Count>> Read(int32_t first_day, int32_t last_day) override;
  absl::StatusOr<int64_t> DeleteDaysBefore(int32_t day) override;

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<CountKey, int64_t> counts_ ABSL_GUARDED_BY(mu_);
};

// A table `outcome_counts` in the SQLite file of the sessions and records
// (the same connection).
class SqliteOutcomeCounts final : public OutcomeCounts {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteOutcomeCounts>> Open(
      const std::string& path, bool synchronous_full = false);
  absl::Status Add(const std::vector<Count>& deltas) override;
  absl::StatusOr<std::vector<Count>> Read(int32_t first_day, int32_t last_day) override;
  absl::StatusOr<int64_t> DeleteDaysBefore(int32_t day) override;

 private:
  explicit SqliteOutcomeCounts(std::shared_ptr<store::SqliteDatabase> database)
      : database_(std::move(database)) {}
  std::shared_ptr<store::SqliteDatabase> database_;
};

// A hash KEY:DAY per day (field: the key's other parts joined by \x1f,
// value: the count) and a sorted set KEY:days of the days that have one.
class RedisOutcomeCounts final : public OutcomeCounts {
 public:
  explicit RedisOutcomeCounts(store::RedisAddress address,
                              std::string key = "backchat:counts")
      : redis_(std::move(address)), key_(std::move(key)) {}
  absl::Status Add(const std::vector<Count>& deltas) override;
  absl::StatusOr<std::vector<Count>> Read(int32_t first_day, int32_t last_day) override;
  absl::StatusOr<int64_t> DeleteDaysBefore(int32_t day) override;

 private:
  store::RedisConnection redis_;
  const std::string key_;
};

// The counts beside the configured session store: the same SQLite file,
// the same Redis, or memory. INVALID_ARGUMENT for a malformed
// --redis_address.
absl::StatusOr<std::unique_ptr<OutcomeCounts>> OpenOutcomeCounts(
    const store::StoreConfig& config);

}  // namespace backchat::records

#endif  // BACKCHAT_SERVICE_RECORDS_OUTCOME_COUNT_STORES_H_
