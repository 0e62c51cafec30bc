// What the Telegram bridge's threads share to wait: backoff after
// failures, the wake-up when updates arrive, and the stop. Thread-safe.
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_PACER_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_PACER_H_

#include <atomic>

#include "absl/synchronization/mutex.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/bots/telegram/bot_api_client.h"

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
  // After a Bot API call that failed (no answer, or not ok): flood
  // control (429) says how long to wait, at least first_backoff; other
  // failures back off (NextBackoff). False if stopping.
  bool SleepAfter(const absl::StatusOr<BotApiReply>& reply, int* failures);

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
