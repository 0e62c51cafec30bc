// What the check-in tests of every channel share: a BackChat server whose
// triage records can be read back (the check-in's answer is kept there),
// the paths to each level, and the flags that make a check-in due 2 s
// after the yes.
#ifndef BACKCHAT_TESTS_BOTS_CHECK_IN_FIXTURE_H_
#define BACKCHAT_TESTS_BOTS_CHECK_IN_FIXTURE_H_

#include <string>
#include <vector>

#include "backchat/admin/v1/admin.grpc.pb.h"
#include "tests/bots/bridge_fixture.h"
#include "tests/bots/chat_oracle.h"

namespace backchat::testing {

const LevelPath& PathTo(triage::v1::Level level);

// --check_ins, due 2 s after the yes, no quiet hours.
std::vector<std::string> CheckInFlags();

// Long enough past a 2 s schedule (and a retry) for anything that would be
// sent twice, or sent at all after a cancel, to have been.
inline constexpr absl::Duration kWellPastDue = absl::Seconds(4);

class CheckInTest : public BridgeTest {
 protected:
  void SetUp() override;

  // The triage records, read through the admin API.
  std::vector<admin::v1::TriageRecord> Records();
  // How many records carry a check-in answered `answer`.
  int CheckInsAnswered(triage::v1::CheckInAnswer answer);
};

}  // namespace backchat::testing

#endif  // BACKCHAT_TESTS_BOTS_CHECK_IN_FIXTURE_H_
