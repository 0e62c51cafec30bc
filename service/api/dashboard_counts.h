// What Conversations tells the clinic's dashboard as a conversation goes
// on: one call per event, turned into counts (records/outcome_counts.h)
// under the conversation's start day, dialog, version, channel and
// language. Nothing counted names the session or holds typed text.
//
// Counts (CountKey::name, and its item):
//   started                      a conversation started
//   reached    question id       the question was asked going forward (the
//                                first question, or the next after an
//                                answer); Back and Start over do not count
//   at         question id       +1 when a conversation arrives at the
//                                question by any way, -1 when it leaves:
//                                the conversations still there. Once the
//                                idle timeout has passed, they are the ones
//                                abandoned there
//   finished                     the same for "at an outcome"
//   outcome    level name        an outcome given (so twice for a person who
//                                goes back from one and finishes again, as
//                                records are written twice)
//   red_flag   red flag id       a red flag fired with an outcome given
//   questions  "N"               an outcome given after N answers
//   minutes    bucket            an outcome given that many minutes after
//                                the start ("0-1" ... "60+")
//   action     ActionKind name   a care action offered with an outcome
//   typed_accepted, typed_confirmed, typed_asked_again   question id
//                                a typed answer read at once, a proposed
//                                reading the person accepted, and one not
//                                understood or a reading refused
#ifndef BACKCHAT_SERVICE_API_DASHBOARD_COUNTS_H_
#define BACKCHAT_SERVICE_API_DASHBOARD_COUNTS_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "backchat/triage/v1/types.pb.h"
#include "service/engine/engine.h"
#include "service/records/outcome_counts.h"
#include "service/store/session.h"

namespace backchat::api {

// Thread-safe. Does not own `counts` (null: nothing is counted). A step
// is counted once it is saved (DeferredWrites::AfterSaved). A failure to
// count is logged and does not fail the conversation, whose step is saved.
class DashboardCounts {
 public:
  explicit DashboardCounts(records::OutcomeCounts* counts = nullptr) : counts_(counts) {}

  enum class Typed { kAccepted, kConfirmed, kAskedAgain };

  // A new conversation, at its first step.
  void Started(const store::Session& session, const engine::Step& first) const;
  // The conversation moved from one step to another (an answer, Back,
  // Start over). `forward` for an answer. `turn` is the reply, whose
  // outcome carries the care actions offered.
  void Moved(const store::Session& session, const engine::Step& from, const engine::Step& to,
             bool forward, const triage::v1::Turn& turn) const;
  // A typed answer to `question` (an index into the session's dialog).
  void TypedAnswer(const store::Session& session, int question, Typed what) const;

  // The bucket of minutes from start to outcome ("0-1" ... "60+").
  static absl::string_view MinutesBucket(absl::Duration elapsed);
  // Every bucket, in order.
  static const std::vector<absl::string_view>& MinutesBuckets();

 private:
  void Add(const store::Session& session, std::vector<records::Count> deltas) const;
  records::OutcomeCounts* counts_;
};

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_DASHBOARD_COUNTS_H_
