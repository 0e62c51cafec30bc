#include "client/chat/check_in_scheduler.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/chat/check_ins.h"
#include "service/common/log_line.h"

namespace backchat::chat {
namespace {

void Log(absl::string_view message) { LogLine("check-ins", message); }

}  // namespace

bool QuietHours::Contains(absl::Time time) const {
  if (start == end) return false;
  const int hour = absl::ToCivilHour(time, zone).hour();
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}

absl::StatusOr<QuietHours> ParseQuietHours(absl::string_view text) {
  QuietHours quiet;
  if (text.empty()) return quiet;
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &quiet.start) ||
      !absl::SimpleAtoi(parts[1], &quiet.end) || quiet.start < 0 || quiet.start > 23 ||
      quiet.end < 0 || quiet.end > 23) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--check_in_quiet_hours=", text,
        " is not START-END in whole hours of the day, e.g. 21-9 (or empty for none)"));
  }
  return quiet;
}

CheckInScheduler::CheckInScheduler(CheckInStore* store, CheckInSender sender,
                                   CheckInScheduleOptions options)
    : store_(store), sender_(std::move(sender)), options_(std::move(options)) {}

CheckInScheduler::~CheckInScheduler() { Stop(); }

absl::Status CheckInScheduler::Start() {
  absl::StatusOr<int64_t> interrupted = store_->RecoverInterrupted();
  if (!interrupted.ok()) return interrupted.status();
  if (*interrupted > 0) {
    Log(absl::StrCat(*interrupted,
                     " check-in(s) were being sent when the bridge stopped; not sent again"));
  }
  thread_ = std::thread([this] { Loop(); });
  return absl::OkStatus();
}

void CheckInScheduler::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<bool> CheckInScheduler::SendNextDue(absl::Time now) {
  if (options_.quiet.Contains(now)) return false;  // due ones wait for the morning
  absl::StatusOr<std::optional<PendingCheckIn>> due = store_->NextDue(now);
  if (!due.ok()) return due.status();
  if (!due->has_value()) return false;
  const PendingCheckIn& check_in = **due;
  absl::StatusOr<bool> claimed = store_->Claim(check_in);
  if (!claimed.ok()) return claimed.status();
  if (!*claimed) return true;  // answered, stopped or replaced meanwhile
  const absl::Status sent = sender_(check_in, CheckInMessage(check_in.locale));
  if (sent.ok()) {
    if (absl::Status marked = store_->MarkSent(check_in); !marked.ok()) return marked;
    return true;
  }
  if (absl::IsUnavailable(sent) && check_in.attempts + 1 < options_.max_attempts) {
    const absl::Duration wait = std::min(
        options_.first_backoff * (int64_t{1} << std::min(check_in.attempts, 20)),
        options_.max_backoff);
    Log(absl::StrCat("a check-in was not sent, will retry in ", absl::FormatDuration(wait),
                     ": ", sent.message()));
    if (absl::Status retried = store_->Retry(check_in, now + wait); !retried.ok()) return retried;
    return true;
  }
  Log(absl::StrCat("a check-in was not sent, dropped: ", sent.message()));
  if (absl::Status removed = store_->Remove(check_in.chat_key); !removed.ok()) return removed;
  return true;
}

void CheckInScheduler::Loop() {
  while (true) {
    absl::StatusOr<bool> handled = SendNextDue(absl::Now());
    if (!handled.ok()) Log(handled.status().message());
    if (handled.ok() && *handled) {
      absl::MutexLock lock(&mu_);
      if (stop_) return;
      continue;  // more may be due
    }
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stop_), options_.poll);
    if (stop_) return;
  }
}

}  // namespace backchat::chat
