#include "service/records/batched_outcome_counts.h"

#include "absl/strings/str_cat.h"
#include "service/common/log_line.h"

namespace backchat::records {

BatchedOutcomeCounts::BatchedOutcomeCounts(OutcomeCounts* store, absl::Duration interval)
    : store_(store), interval_(interval) {
  flusher_ = std::thread([this] { FlushLoop(); });
}

BatchedOutcomeCounts::~BatchedOutcomeCounts() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  flusher_.join();
  Flush().IgnoreError();  // logged by Flush
}

absl::Status BatchedOutcomeCounts::Add(const std::vector<Count>& deltas) {
  absl::MutexLock lock(&mu_);
  for (const Count& delta : deltas) pending_[delta.key] += delta.value;
  return absl::OkStatus();
}

absl::Status BatchedOutcomeCounts::Flush() {
  absl::MutexLock writing(&flush_mu_);
  absl::flat_hash_map<CountKey, int64_t> batch;
  {
    absl::MutexLock lock(&mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return absl::OkStatus();
  std::vector<Count> deltas;
  deltas.reserve(batch.size());
  for (auto& [key, value] : batch) {
    if (value != 0) deltas.push_back(Count{key, value});
  }
  const absl::Status written = deltas.empty() ? absl::OkStatus() : store_->Add(deltas);
  if (!written.ok()) {
    LogLine("backchat_server",
            absl::StrCat("dashboard counts not written yet (kept for the next try): ",
                         written.ToString()));
    absl::MutexLock lock(&mu_);
    for (const Count& delta : deltas) pending_[delta.key] += delta.value;
  }
  return written;
}

absl::StatusOr<std::vector<Count>> BatchedOutcomeCounts::Read(int32_t first_day,
                                                              int32_t last_day) {
  Flush().IgnoreError();  // a report after a failed write shows what is stored
  return store_->Read(first_day, last_day);
}

absl::StatusOr<int64_t> BatchedOutcomeCounts::DeleteDaysBefore(int32_t day) {
  Flush().IgnoreError();
  return store_->DeleteDaysBefore(day);
}

void BatchedOutcomeCounts::FlushLoop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto stop = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
      mu_.AwaitWithTimeout(absl::Condition(&stop), interval_);
      if (stopping_) return;
    }
    Flush().IgnoreError();
  }
}

}  // namespace backchat::records
