#include "tests/bots/check_in_fixture.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"

namespace backchat::testing {

namespace tv1 = ::backchat::triage::v1;

namespace {
constexpr char kAdminKey[] = "check-in-admin-key-0123456789abcdef";
}  // namespace

const LevelPath& PathTo(tv1::Level level) {
  for (const LevelPath& path : PathsToEachLevel()) {
    if (path.level == level) return path;
  }
  ADD_FAILURE() << "no path to " << tv1::Level_Name(level);
  return PathsToEachLevel().front();
}

std::vector<std::string> CheckInFlags() {
  return {"--check_ins", "--check_in_delay=2s", "--check_in_quiet_hours="};
}

void CheckInTest::SetUp() {
  BridgeTest::SetUp();
  // Records need a key to be read back.
  WriteFile("admin_keys", absl::StrCat("tests records ", kAdminKey, "\n"));
  backchat_.reset();
  StartBackchat(0, {"--admin_keys_file=" + Path("admin_keys")});
}

std::vector<admin::v1::TriageRecord> CheckInTest::Records() {
  auto stub = admin::v1::AdminService::NewStub(channel_);
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", kAdminKey));
  admin::v1::ListRecordsResponse response;
  const grpc::Status status = stub->ListRecords(&context, {}, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return {response.records().begin(), response.records().end()};
}

int CheckInTest::CheckInsAnswered(tv1::CheckInAnswer answer) {
  int count = 0;
  for (const admin::v1::TriageRecord& record : Records()) {
    count += record.has_check_in() && record.check_in().answer() == answer;
  }
  return count;
}

}  // namespace backchat::testing
