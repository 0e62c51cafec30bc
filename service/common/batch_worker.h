// A thread that handles, in one batch, everything handed to it while it
// was handling the last batch: under load a batch carries the work of many
// callers at the cost of one, and when idle an item goes out alone at
// once. The shape of SQLite's group commit and of Redis pipelining.
#ifndef BACKCHAT_SERVICE_COMMON_BATCH_WORKER_H_
#define BACKCHAT_SERVICE_COMMON_BATCH_WORKER_H_

#include <thread>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace backchat {

// Thread-safe.
template <typename Item>
class BatchWorker {
 public:
  // Starts the thread. `handle` runs on it, with the items in the order
  // they were handed over, outside every lock of this class.
  explicit BatchWorker(absl::AnyInvocable<void(std::vector<Item>& batch)> handle)
      : handle_(std::move(handle)), thread_([this] { Loop(); }) {}
  ~BatchWorker() { Stop(); }
  BatchWorker(const BatchWorker&) = delete;
  BatchWorker& operator=(const BatchWorker&) = delete;

  void Submit(Item item) {
    absl::MutexLock lock(&mu_);
    queue_.push_back(std::move(item));
  }

  // Returns once everything handed over so far has been handled.
  void Drain() {
    absl::MutexLock lock(&mu_);
    auto settled = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return queue_.empty() && !handling_;
    };
    mu_.Await(absl::Condition(&settled));
  }

  // Handles what was handed over, then ends the thread (once; for an
  // owner that must stop it before the rest of itself goes away).
  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stopping_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Loop() {
    while (true) {
      std::vector<Item> batch;
      {
        absl::MutexLock lock(&mu_);
        auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return !queue_.empty() || stopping_;
        };
        mu_.Await(absl::Condition(&work));
        if (queue_.empty()) return;  // stopping, and nothing left
        batch.swap(queue_);
        handling_ = true;
      }
      handle_(batch);
      batch.clear();
      absl::MutexLock lock(&mu_);
      handling_ = false;
    }
  }

  absl::AnyInvocable<void(std::vector<Item>& batch)> handle_;
  absl::Mutex mu_;
  std::vector<Item> queue_ ABSL_GUARDED_BY(mu_);
  bool handling_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last: started once the rest is ready
};

}  // namespace backchat

#endif  // BACKCHAT_SERVICE_COMMON_BATCH_WORKER_H_
