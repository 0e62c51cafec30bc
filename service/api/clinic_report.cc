#include "service/api/clinic_report.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/api/dashboard_counts.h"
#include "service/common/quoted.h"
#include "service/engine/level_name.h"

namespace backchat::api {

namespace av1 = ::backchat::admin::v1;
namespace tv1 = ::backchat::triage::v1;

namespace {

constexpr int kMaxDays = 400;

std::string DayText(int32_t day) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(int64_t{day} * 86400),
                          absl::UTCTimeZone());
}

absl::Status ParseDay(absl::string_view field, absl::string_view text, int32_t* day) {
  absl::Time time;
  std::string error;
  if (text.size() != 10 ||
      !absl::ParseTime("%Y-%m-%d", std::string(text), absl::UTCTimeZone(), &time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", Quoted(text), " is not a day as YYYY-MM-DD, e.g. 2026-03-01"));
  }
  *day = records::DayOf(time);
  return absl::OkStatus();
}

bool Matches(const av1::GetReportRequest& request, const records::CountKey& key) {
  return (request.dialog_id().empty() || request.dialog_id() == key.dialog_id) &&
         (request.dialog_version().empty() || request.dialog_version() == key.dialog_version) &&
         (request.channel() == tv1::CHANNEL_UNSPECIFIED || request.channel() == key.channel) &&
         (request.language().empty() || request.language() == key.language);
}

// Adds `counts` (by key) to `out`, most first (then by key) or in key order.
void AddCounts(const std::map<std::string, int64_t>& counts, bool most_first,
               google::protobuf::RepeatedPtrField<av1::ReportCount>* out) {
  std::vector<std::pair<std::string, int64_t>> sorted(counts.begin(), counts.end());
  if (most_first) {
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
  }
  for (const auto& [key, count] : sorted) {
    if (count == 0) continue;
    av1::ReportCount* added = out->Add();
    added->set_key(key);
    added->set_count(count);
  }
}

// The index (into `counts`, in order) of the bucket that holds the median.
int MedianIndex(const std::vector<int64_t>& counts) {
  int64_t total = 0;
  for (int64_t count : counts) total += count;
  if (total <= 0) return -1;
  int64_t seen = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    seen += counts[i];
    if (2 * seen >= total) return static_cast<int>(i);
  }
  return static_cast<int>(counts.size()) - 1;
}

}  // namespace

absl::Status BuildReport(const ReportSource& source, const av1::GetReportRequest& request,
                         absl::Time now, av1::GetReportResponse* response) {
  if (source.counts == nullptr) {
    return absl::FailedPreconditionError("this server keeps no dashboard counts");
  }
  int32_t last = records::DayOf(now);
  if (!request.to_day().empty()) {
    if (absl::Status bad = ParseDay("to_day", request.to_day(), &last); !bad.ok()) return bad;
  }
  int32_t first = last - 29;
  if (!request.from_day().empty()) {
    if (absl::Status bad = ParseDay("from_day", request.from_day(), &first); !bad.ok()) {
      return bad;
    }
  }
  if (first > last) {
    return absl::InvalidArgumentError(absl::StrCat("from_day: ", DayText(first),
                                                   " is after to_day ", DayText(last)));
  }
  if (last - first + 1 > kMaxDays) {
    return absl::InvalidArgumentError(absl::StrCat("from_day: the period is ", last - first + 1,
                                                   " days; at most ", kMaxDays));
  }
  if (!tv1::Channel_IsValid(request.channel())) {
    return absl::InvalidArgumentError("channel: unknown channel");
  }
  auto counts = source.counts->Read(first, last);
  if (!counts.ok()) return counts.status();

  response->set_from_day(DayText(first));
  response->set_to_day(DayText(last));
  response->set_session_idle_timeout_seconds(absl::ToInt64Seconds(source.idle_timeout));

  std::set<std::pair<std::string, std::string>> versions;
  std::set<int32_t> channels;
  std::set<std::string> languages;
  std::map<int32_t, av1::ReportDay> days;
  std::map<std::string, int64_t> levels, flags, actions;
  std::map<int, int64_t> questions_to_outcome;
  std::map<std::string, int64_t> minutes;
  std::map<std::string, av1::ReportQuestion> questions;
  // A day is settled once it ended longer ago than the idle timeout: every
  // conversation it started has then finished or expired.
  const auto settled = [&](int32_t day) {
    return absl::FromUnixSeconds(int64_t{day + 1} * 86400) + source.idle_timeout <= now;
  };
  for (const records::Count& count : *counts) {
    const records::CountKey& key = count.key;
    versions.emplace(key.dialog_id, key.dialog_version);
    channels.insert(key.channel);
    languages.insert(key.language);
    if (!Matches(request, key)) continue;
    const int64_t n = count.value;
    av1::ReportDay& day = days[key.day];
    av1::ReportQuestion* question = nullptr;
    if (!key.item.empty() && (key.name == "reached" || key.name == "at" ||
                              absl::StartsWith(key.name, "typed_"))) {
      question = &questions[key.item];
      question->set_question_id(key.item);
    }
    if (key.name == "started") {
      day.set_started(day.started() + n);
    } else if (key.name == "finished") {
      day.set_finished(day.finished() + n);
    } else if (key.name == "reached") {
      question->set_reached(question->reached() + n);
    } else if (key.name == "at") {
      if (settled(key.day)) {
        question->set_stopped(question->stopped() + n);
      } else {
        question->set_in_progress(question->in_progress() + n);
      }
    } else if (key.name == "typed_accepted") {
      question->set_typed_accepted(question->typed_accepted() + n);
    } else if (key.name == "typed_confirmed") {
      question->set_typed_confirmed(question->typed_confirmed() + n);
    } else if (key.name == "typed_asked_again") {
      question->set_typed_asked_again(question->typed_asked_again() + n);
    } else if (key.name == "outcome") {
      levels[key.item] += n;
    } else if (key.name == "red_flag") {
      flags[key.item] += n;
    } else if (key.name == "action") {
      actions[key.item] += n;
    } else if (key.name == "questions") {
      int answered = 0;
      if (absl::SimpleAtoi(key.item, &answered)) questions_to_outcome[answered] += n;
    } else if (key.name == "minutes") {
      minutes[key.item] += n;
    }
  }

  for (int32_t d = first; d <= last; ++d) {
    av1::ReportDay* day = response->add_days();
    *day = days[d];
    day->set_day(DayText(d));
    const int64_t open = std::max<int64_t>(0, day->started() - day->finished());
    if (settled(d)) {
      day->set_abandoned(open);
    } else {
      day->set_in_progress(open);
    }
  }
  for (tv1::Level level : {tv1::LEVEL_EMERGENCY, tv1::LEVEL_URGENT, tv1::LEVEL_SEE_DOCTOR,
                           tv1::LEVEL_SELF_CARE}) {
    av1::ReportCount* outcome = response->add_outcomes();
    outcome->set_key(std::string(engine::LevelName(level)));
    outcome->set_count(levels[outcome->key()]);
  }
  AddCounts(flags, /*most_first=*/true, response->mutable_red_flags());
  AddCounts(actions, /*most_first=*/true, response->mutable_actions_offered());

  absl::flat_hash_map<std::string, int> order;  // question id -> place in the dialog
  if (source.dialogs != nullptr) {
    if (auto dialog = source.dialogs->Find(request.dialog_id()); dialog.ok()) {
      for (const auto& question : (*dialog)->base().questions) {
        order.try_emplace(question.id, static_cast<int>(order.size()));
      }
    }
  }
  const auto place = [&order](const av1::ReportQuestion& question) {
    const auto found = order.find(question.question_id());
    return found == order.end() ? static_cast<int>(order.size()) : found->second;
  };
  std::vector<av1::ReportQuestion> sorted;
  for (auto& [id, question] : questions) sorted.push_back(std::move(question));
  std::stable_sort(sorted.begin(), sorted.end(), [&place](const auto& a, const auto& b) {
    return place(a) != place(b) ? place(a) < place(b) : a.reached() > b.reached();
  });
  for (av1::ReportQuestion& question : sorted) *response->add_questions() = std::move(question);

  std::vector<int64_t> by_questions;
  std::vector<int> answered_counts;
  for (const auto& [answered, count] : questions_to_outcome) {
    if (count == 0) continue;
    av1::ReportCount* added = response->add_questions_to_outcome();
    added->set_key(absl::StrCat(answered));
    added->set_count(count);
    by_questions.push_back(count);
    answered_counts.push_back(answered);
  }
  if (const int median = MedianIndex(by_questions); median >= 0) {
    response->set_median_questions_to_outcome(answered_counts[median]);
  }
  std::vector<int64_t> by_minutes;
  for (absl::string_view bucket : DashboardCounts::MinutesBuckets()) {
    av1::ReportCount* added = response->add_minutes_to_outcome();
    added->set_key(std::string(bucket));
    added->set_count(minutes[added->key()]);
    by_minutes.push_back(added->count());
  }
  if (const int median = MedianIndex(by_minutes); median >= 0) {
    response->set_median_minutes_to_outcome(response->minutes_to_outcome(median).key());
  }

  for (const auto& [id, version] : versions) {
    av1::ReportDialogVersion* added = response->add_dialog_versions();
    added->set_dialog_id(id);
    added->set_dialog_version(version);
  }
  for (int32_t channel : channels) {
    if (tv1::Channel_IsValid(channel)) response->add_channels(static_cast<tv1::Channel>(channel));
  }
  for (const std::string& language : languages) response->add_languages(language);
  return absl::OkStatus();
}

}  // namespace backchat::api
