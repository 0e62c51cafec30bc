#include "client/bots/telegram/pacer.h"

#include <algorithm>

namespace backchat::telegram {

void Pacer::Stop() {
  absl::MutexLock lock(&mu_);
  stop_ = true;
}

bool Pacer::Sleep(absl::Duration duration) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(
      absl::Condition(+[](std::atomic<bool>* stop) { return stop->load(); }, &stop_), duration);
  return !stop_;
}

absl::Duration Pacer::NextBackoff(int* failures) const {
  const absl::Duration wait =
      std::min(first_backoff_ * (1 << std::min(*failures, 16)), max_backoff_);
  ++*failures;
  return wait;
}

bool Pacer::SleepAfter(const absl::StatusOr<BotApiReply>& reply, int* failures) {
  const bool flood = reply.ok() && reply->http_status == 429;
  return Sleep(flood ? std::max(reply->retry_after, first_backoff_) : NextBackoff(failures));
}

void Pacer::Notify() {
  absl::MutexLock lock(&mu_);
  work_ = true;
}

void Pacer::AwaitWork(absl::Duration timeout) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(
                           +[](Pacer* pacer) ABSL_EXCLUSIVE_LOCKS_REQUIRED(pacer->mu_) {
                             return pacer->work_ || pacer->stop_.load();
                           },
                           this),
                       timeout);
  work_ = false;
}

}  // namespace backchat::telegram
