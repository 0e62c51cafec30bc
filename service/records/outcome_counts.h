// Aggregate counts of conversations for the clinic's dashboard: how many
// started, reached each question, finished, with which outcome. Each count
// is keyed by the day the conversation started and its dialog, version,
// channel and language; nothing in a key or a value names a session or a
// person, or holds typed text.
#ifndef BACKCHAT_SERVICE_RECORDS_OUTCOME_COUNTS_H_
#define BACKCHAT_SERVICE_RECORDS_OUTCOME_COUNTS_H_

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace backchat::records {

struct CountKey {
  // Days since 1970-01-01 (UTC) of the conversation's start.
  int32_t day = 0;
  std::string dialog_id;
  std::string dialog_version;
  int32_t channel = 0;  // triage::v1::Channel
  std::string language;  // the dialog's locale
  // What is counted ("started", "reached", ...: see api/dashboard_counts.h)
  // and of what ("" or a question id, level, red flag id, bucket).
  std::string name;
  std::string item;

  auto Tie() const {
    return std::tie(day, dialog_id, dialog_version, channel, language, name, item);
  }
  bool operator==(const CountKey& other) const { return Tie() == other.Tie(); }
  bool operator<(const CountKey& other) const { return Tie() < other.Tie(); }
  template <typename H>
  friend H AbslHashValue(H h, const CountKey& key) {
    return H::combine(std::move(h), key.Tie());
  }
};

struct Count {
  CountKey key;
  int64_t value = 0;
};

// The day number of `time` (UTC), as in CountKey::day.
int32_t DayOf(absl::Time time);

// Implementations are thread-safe; failures are UNAVAILABLE with a reason.
class OutcomeCounts {
 public:
  virtual ~OutcomeCounts() = default;
  // Adds each delta (which may be negative) to its count, all or none.
  virtual absl::Status Add(const std::vector<Count>& deltas) = 0;
  // Every count of the days from `first_day` to `last_day`, both included,
  // in no particular order; counts that add up to 0 may be left out.
  virtual absl::StatusOr<std::vector<Count>> Read(int32_t first_day, int32_t last_day) = 0;
  // Forgets the counts of days before `day` (retention); returns how many
  // counts went.
  virtual absl::StatusOr<int64_t> DeleteDaysBefore(int32_t day) = 0;
};

}  // namespace backchat::records

#endif  // BACKCHAT_SERVICE_RECORDS_OUTCOME_COUNTS_H_
