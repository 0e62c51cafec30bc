// Counters and latency histograms for Prometheus, written in its text
// exposition format (version 0.0.4) at the admin path /metrics.
#ifndef BACKCHAT_SERVICE_OBSERVABILITY_METRICS_H_
#define BACKCHAT_SERVICE_OBSERVABILITY_METRICS_H_

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "backchat/triage/v1/types.pb.h"

namespace backchat::observability {

// Thread-safe; recording is a map lookup under a shared lock plus relaxed
// atomic increments.
class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,     2.5};

  // One finished call: `transport` "grpc" or "http", `method` its full
  // name (the caller keeps the set of names small), `code` the status
  // ("OK", "NOT_FOUND", or an HTTP status as text).
  void RecordCall(absl::string_view transport, absl::string_view method,
                  absl::string_view code, absl::Duration latency);

  void ConversationStarted() { started_.fetch_add(1, std::memory_order_relaxed); }
  void Turn() { turns_.fetch_add(1, std::memory_order_relaxed); }
  void ConversationFinished(triage::v1::Level level);
  void StoreError() { store_errors_.fetch_add(1, std::memory_order_relaxed); }
  void RateLimited() { rate_limited_.fetch_add(1, std::memory_order_relaxed); }

  // Called at each scrape for the live-sessions gauge; returns < 0 when the
  // store cannot say.
  void SetLiveSessions(std::function<int64_t()> live_sessions);

  // A dialog served now, and its sign-off (all empty when it has none).
  struct ServingDialog {
    std::string id;
    std::string version;
    std::string approved_by;
    std::string approver_role;
    std::string approved_on;
  };
  // Asked at each Render(): backchat_dialog_serving{dialog, version,
  // approved} 1 per dialog, and backchat_dialog_approval{dialog, version,
  // approver, role, date} 1 per approved one.
  void SetServingDialogs(std::function<std::vector<ServingDialog>()> serving);

  // Everything, in Prometheus' text format.
  std::string Render() const;

 private:
  struct CallStats {
    std::map<std::string, std::atomic<int64_t>> by_code;  // guarded by codes_mu
    absl::Mutex codes_mu;
    std::array<std::atomic<int64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<int64_t> count{0};
    std::atomic<int64_t> sum_micros{0};
  };

  mutable absl::Mutex mu_;
  // Keyed by "transport\tmethod".
  std::map<std::string, std::unique_ptr<CallStats>> calls_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> started_{0};
  std::atomic<int64_t> turns_{0};
  std::array<std::atomic<int64_t>, 5> finished_{};  // by Level
  std::atomic<int64_t> store_errors_{0};
  std::atomic<int64_t> rate_limited_{0};
  std::function<int64_t()> live_sessions_ ABSL_GUARDED_BY(mu_);
  std::function<std::vector<ServingDialog>()> serving_dialogs_ ABSL_GUARDED_BY(mu_);
};

}  // namespace backchat::observability

#endif  // BACKCHAT_SERVICE_OBSERVABILITY_METRICS_H_
