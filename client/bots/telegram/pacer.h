// What the Telegram bridge's threads share to wait: backoff after
// failures, the wake-up when updates arrive, and the stop. Thread-safe.
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_PACER_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_PACER_H_

#include <algorithm>
#include <atomic>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace backchat::telegram {

class Pacer {
 public:
  Pacer(absl::Duration first_backoff, absl::Duration max_backoff)
      : first_backoff_(first_backoff), max_backoff_(max_backoff) {}

  // From now on every wait returns at once and stopping() is true.
  void Stop();
  bool stopping() const { return stop_.load(); }
  // For BotApiClient: a call in progress is abandoned when it turns true.
  const std::atomic<bool>* stop_flag() const { return &stop_; }

  // Waits `duration` or until Stop(); false if stopping.
  bool Sleep(absl::Duration duration);
  // first_backoff doubled per failure so far, at most max_backoff; counts
  // this failure.
  absl::Duration NextBackoff(int* failures) const;
  // At least first_backoff: a 429's retry_after may be zero.
  absl::Duration AtLeastFirst(absl::Duration wait) const { return std::max(wait, first_backoff_); }

  // Work arrived (updates in the inbox): wakes AwaitWork.
  void Notify();
  // Waits until Notify(), Stop() or `timeout`, and clears the notice.
  void AwaitWork(absl::Duration timeout);

 private:
  const absl::Duration first_backoff_;
  const absl::Duration max_backoff_;
  std::atomic<bool> stop_{false};
  absl::Mutex mu_;
  bool work_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_PACER_H_
