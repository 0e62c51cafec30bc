// Sends the check-ins that are due (check_in_store.h), one at a time, in a
// thread of its own: outside quiet hours, retrying failed sends with
// backoff, and never sending one twice (the row is claimed before the
// send, and a claimed row is never sent again, even after a restart).
#ifndef BACKCHAT_CLIENT_CHAT_CHECK_IN_SCHEDULER_H_
#define BACKCHAT_CLIENT_CHAT_CHECK_IN_SCHEDULER_H_

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/chat/check_in_store.h"

namespace backchat::chat {

// Quiet hours in a deployment's time zone: [start, end) in whole hours,
// wrapping at midnight ("21-9": 21:00 to 09:00).
struct QuietHours {
  int start = 0;
  int end = 0;  // equal to start: none
  absl::TimeZone zone = absl::LocalTimeZone();
  bool Contains(absl::Time time) const;
};
// "21-9" -> {21, 9}; "" -> none. INVALID_ARGUMENT naming the flag otherwise.
absl::StatusOr<QuietHours> ParseQuietHours(absl::string_view text);

// Sends `text` to the person of `check_in`. OK: the platform took it.
// UNAVAILABLE: it did not (no answer, flood control, a server error): try
// again later. Anything else: it never will (blocked, bad number): drop it.
using CheckInSender =
    std::function<absl::Status(const PendingCheckIn& check_in, const std::string& text)>;

struct CheckInScheduleOptions {
  QuietHours quiet;
  absl::Duration poll = absl::Seconds(1);  // how often due rows are looked for
  absl::Duration first_backoff = absl::Seconds(2);  // doubled per failure
  absl::Duration max_backoff = absl::Hours(1);
  int max_attempts = 8;  // then the check-in is dropped, and logged
};

class CheckInScheduler {
 public:
  CheckInScheduler(CheckInStore* store, CheckInSender sender, CheckInScheduleOptions options);
  ~CheckInScheduler();  // Stop()

  // Counts check-ins a stopped bridge left half-sent as sent (never resent;
  // logged), then starts the thread. Errors are the state file's.
  absl::Status Start();
  // Waits for a send in progress to finish.
  void Stop();

  // One pass: sends the check-in due earliest, if any. True if one was
  // handled (sent, retried later or dropped). Used by the thread.
  absl::StatusOr<bool> SendNextDue(absl::Time now);

 private:
  void Loop();

  CheckInStore* store_;
  const CheckInSender sender_;
  const CheckInScheduleOptions options_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_CHECK_IN_SCHEDULER_H_
