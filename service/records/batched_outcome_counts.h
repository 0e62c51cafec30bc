// Dashboard counts gathered in memory and written to their store in one
// batch a second: counting a turn then costs a map update, not a write
// (a SQLite transaction or a Redis round trip) beside the session's own.
// The price: a crash loses at most the last interval's counts, which are
// aggregates for a chart; records and sessions are never batched this way.
#ifndef BACKCHAT_SERVICE_RECORDS_BATCHED_OUTCOME_COUNTS_H_
#define BACKCHAT_SERVICE_RECORDS_BATCHED_OUTCOME_COUNTS_H_

#include <memory>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/records/outcome_counts.h"

namespace backchat::records {

// Thread-safe. Add() never touches the store; a background thread writes
// what gathered every `interval`, and so does Read() (so reports are
// exact), DeleteDaysBefore() and the destructor. A failed write keeps the
// deltas for the next one (logged once per failure).
class BatchedOutcomeCounts final : public OutcomeCounts {
 public:
  // Does not own `store`, which must outlive this.
  BatchedOutcomeCounts(OutcomeCounts* store, absl::Duration interval = absl::Seconds(1));
  ~BatchedOutcomeCounts() override;

  absl::Status Add(const std::vector<Count>& deltas) override;
  absl::StatusOr<std::vector<Count>> Read(int32_t first_day, int32_t last_day) override;
  absl::StatusOr<int64_t> DeleteDaysBefore(int32_t day) override;

  // Writes what has gathered now.
  absl::Status Flush();

 private:
  void FlushLoop();

  OutcomeCounts* const store_;
  const absl::Duration interval_;
  // Held while writing, so batches reach the store in order.
  absl::Mutex flush_mu_;
  absl::Mutex mu_;
  absl::flat_hash_map<CountKey, int64_t> pending_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread flusher_;
};

}  // namespace backchat::records

#endif  // BACKCHAT_SERVICE_RECORDS_BATCHED_OUTCOME_COUNTS_H_
