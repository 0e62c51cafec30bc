#include "service/observability/metrics.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace backchat::observability {

namespace tv1 = ::backchat::triage::v1;

void Metrics::RecordCall(absl::string_view transport, absl::string_view method,
                         absl::string_view code, absl::Duration latency) {
  const std::string key = absl::StrCat(transport, "\t", method);
  CallStats* stats = nullptr;
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = calls_.find(key);
    if (it != calls_.end()) stats = it->second.get();
  }
  if (stats == nullptr) {
    absl::MutexLock lock(&mu_);
    auto& slot = calls_[key];
    if (slot == nullptr) slot = std::make_unique<CallStats>();
    stats = slot.get();
  }
  {
    absl::MutexLock lock(&stats->codes_mu);
    stats->by_code[std::string(code)].fetch_add(1, std::memory_order_relaxed);
  }
  const double seconds = absl::ToDoubleSeconds(latency);
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  stats->buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  stats->count.fetch_add(1, std::memory_order_relaxed);
  stats->sum_micros.fetch_add(absl::ToInt64Microseconds(latency), std::memory_order_relaxed);
}

void Metrics::ConversationFinished(tv1::Level level) {
  const int index = level >= 0 && level < static_cast<int>(finished_.size()) ? level : 0;
  finished_[index].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::SetLiveSessions(std::function<int64_t()> live_sessions) {
  absl::MutexLock lock(&mu_);
  live_sessions_ = std::move(live_sessions);
}

void Metrics::SetServingDialogs(std::function<std::vector<ServingDialog>()> serving) {
  absl::MutexLock lock(&mu_);
  serving_dialogs_ = std::move(serving);
}

namespace {

// A label value as the text format wants it: backslash, quote and newline
// escaped.
std::string LabelValue(absl::string_view text) {
  return absl::StrReplaceAll(text, {{"\\", "\\\\"}, {"\"", "\\\""}, {"\n", "\\n"}});
}

}  // namespace

std::string Metrics::Render() const {
  std::string out;
  auto counter = [&out](absl::string_view name, absl::string_view help, int64_t value) {
    absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " counter\n", name, " ",
                    value, "\n");
  };
  counter("backchat_conversations_started_total", "Conversations started.",
          started_.load(std::memory_order_relaxed));
  counter("backchat_turns_total", "Answers applied (each moves a conversation on).",
          turns_.load(std::memory_order_relaxed));
  counter("backchat_store_errors_total", "Session or record store operations that failed.",
          store_errors_.load(std::memory_order_relaxed));
  counter("backchat_rate_limited_total", "Calls refused by the per-client limits.",
          rate_limited_.load(std::memory_order_relaxed));
  absl::StrAppend(&out,
                  "# HELP backchat_conversations_finished_total Conversations that reached an "
                  "outcome, by level.\n# TYPE backchat_conversations_finished_total counter\n");
  for (int level = tv1::LEVEL_EMERGENCY; level <= tv1::LEVEL_SELF_CARE; ++level) {
    absl::StrAppend(&out, "backchat_conversations_finished_total{level=\"",
                    absl::StripPrefix(tv1::Level_Name(static_cast<tv1::Level>(level)), "LEVEL_"),
                    "\"} ", finished_[level].load(std::memory_order_relaxed), "\n");
  }
  absl::MutexLock lock(&mu_);
  if (live_sessions_) {
    const int64_t live = live_sessions_();
    if (live >= 0) {
      absl::StrAppend(&out,
                      "# HELP backchat_live_sessions Sessions in the store.\n"
                      "# TYPE backchat_live_sessions gauge\nbackchat_live_sessions ",
                      live, "\n");
    }
  }
  if (serving_dialogs_) {
    const std::vector<ServingDialog> dialogs = serving_dialogs_();
    absl::StrAppend(&out,
                    "# HELP backchat_dialog_serving The dialog versions served now, and whether "
                    "a clinician approved each.\n# TYPE backchat_dialog_serving gauge\n");
    for (const ServingDialog& d : dialogs) {
      absl::StrAppend(&out, "backchat_dialog_serving{dialog=\"", LabelValue(d.id),
                      "\",version=\"", LabelValue(d.version), "\",approved=\"",
                      d.approved_by.empty() ? "false" : "true", "\"} 1\n");
    }
    absl::StrAppend(&out,
                    "# HELP backchat_dialog_approval Who approved each dialog version served "
                    "now (approvals.txtpb).\n# TYPE backchat_dialog_approval gauge\n");
    for (const ServingDialog& d : dialogs) {
      if (d.approved_by.empty()) continue;
      absl::StrAppend(&out, "backchat_dialog_approval{dialog=\"", LabelValue(d.id),
                      "\",version=\"", LabelValue(d.version), "\",approver=\"",
                      LabelValue(d.approved_by), "\",role=\"", LabelValue(d.approver_role),
                      "\",date=\"", LabelValue(d.approved_on), "\"} 1\n");
    }
  }
  absl::StrAppend(&out,
                  "# HELP backchat_calls_total Calls by transport, method and status.\n"
                  "# TYPE backchat_calls_total counter\n");
  for (const auto& [key, stats] : calls_) {
    const std::pair<std::string, std::string> names = absl::StrSplit(key, '\t');
    absl::MutexLock codes_lock(&stats->codes_mu);
    for (const auto& [code, count] : stats->by_code) {
      absl::StrAppend(&out, "backchat_calls_total{transport=\"", names.first, "\",method=\"",
                      names.second, "\",code=\"", code, "\"} ",
                      count.load(std::memory_order_relaxed), "\n");
    }
  }
  absl::StrAppend(&out,
                  "# HELP backchat_call_duration_seconds Time to answer a call.\n"
                  "# TYPE backchat_call_duration_seconds histogram\n");
  for (const auto& [key, stats] : calls_) {
    const std::pair<std::string, std::string> names = absl::StrSplit(key, '\t');
    const std::string labels =
        absl::StrCat("transport=\"", names.first, "\",method=\"", names.second, "\"");
    int64_t cumulative = 0;
    for (size_t i = 0; i <= kBuckets.size(); ++i) {
      cumulative += stats->buckets[i].load(std::memory_order_relaxed);
      absl::StrAppend(&out, "backchat_call_duration_seconds_bucket{", labels, ",le=\"",
                      i < kBuckets.size() ? absl::StrCat(kBuckets[i]) : "+Inf", "\"} ",
                      cumulative, "\n");
    }
    absl::StrAppend(&out, "backchat_call_duration_seconds_sum{", labels, "} ",
                    stats->sum_micros.load(std::memory_order_relaxed) / 1e6, "\n");
    absl::StrAppend(&out, "backchat_call_duration_seconds_count{", labels, "} ",
                    stats->count.load(std::memory_order_relaxed), "\n");
  }
  return out;
}

}  // namespace backchat::observability
