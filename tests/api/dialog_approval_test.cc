// The approval gate on the real server (--require_approved_dialogs): an
// unapproved dialog is refused at start-up; an unapproved edit is refused on
// reload (admin RPC and SIGHUP) while the approved version keeps serving;
// once a clinician approves it, it serves, and ListDialogs and /metrics name
// the approval. Also the approvals file's own errors.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "backchat/admin/v1/admin.grpc.pb.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "service/api/dialog_approvals.h"
#include "service/dialog_tools/dialog_registry.h"
#include "tests/support/http_client.h"
#include "tests/support/server_process.h"

namespace backchat::api {
namespace {

namespace fs = std::filesystem;
namespace tv1 = ::backchat::triage::v1;
namespace av1 = ::backchat::admin::v1;
using ::testing::HasSubstr;

constexpr char kKey[] = "approval-test-key-0123456789abcdef";

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void Write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string ApprovalEntry(const std::string& version, const std::string& approver) {
  return absl::StrCat("approvals {\n  dialog: \"back_pain\"\n  version: \"", version,
                      "\"\n  approver: \"", approver,
                      "\"\n  role: \"Clinical safety officer\"\n  date: \"2026-12-02\"\n}\n");
}

class DialogApprovalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/approval_", getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const char* name : {"back_pain.textproto", "back_pain.es.textproto"}) {
      fs::copy_file(absl::StrCat(BACKCHAT_SOURCE_DIR, "/dialogs/", name),
                    absl::StrCat(dir_, "/", name));
    }
    Write(dir_ + "/keys", absl::StrCat("reviewer dialogs,metrics ", kKey, "\n"));
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Version() {
    auto set = engine::LoadDialogDirectory(dir_, "back_pain");
    EXPECT_TRUE(set.ok()) << set.status();
    return set.ok() ? set->bundles[0]->version() : "";
  }

  absl::StatusOr<std::unique_ptr<testing::ServerProcess>> Start() {
    return testing::ServerProcess::Start(
        {absl::StrCat("--dialogs=", dir_), "--store=memory", "--require_approved_dialogs",
         absl::StrCat("--admin_keys_file=", dir_, "/keys"), "--http_port=0",
         absl::StrCat("--http_port_file=", dir_, "/http.port"),
         absl::StrCat("--web_dir=", BACKCHAT_SOURCE_DIR, "/client/web/example")},
        absl::Seconds(20));
  }

  std::string ServedVersion(tv1::TriageService::Stub& triage) {
    grpc::ClientContext context;
    tv1::StartSessionResponse response;
    EXPECT_TRUE(triage.StartSession(&context, {}, &response).ok());
    return response.turn().dialog_version();
  }

  grpc::Status Reload(av1::AdminService::Stub& admin, av1::ReloadDialogsResponse* response) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kKey));
    return admin.ReloadDialogs(&context, {}, response);
  }

  std::string dir_;
};

TEST_F(DialogApprovalTest, OnlyApprovedVersionsServe) {
  // No approval at all: the server does not start, and says why.
  auto refused = Start();
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("has no approval in"));

  const std::string approved = Version();
  Write(dir_ + "/approvals.txtpb", ApprovalEntry(approved, "Dr Ada Reviewer"));
  auto server = Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials());
  auto triage = tv1::TriageService::NewStub(channel);
  auto admin = av1::AdminService::NewStub(channel);
  EXPECT_EQ(ServedVersion(*triage), approved);

  // The edit a reviewer fears: numbness in both legs no longer an emergency.
  const std::string base = dir_ + "/back_pain.textproto";
  const std::string text = Read(base);
  const std::string flag = "id: \"both_legs_neurological\"\n  level: LEVEL_EMERGENCY";
  ASSERT_NE(text.find(flag), std::string::npos);
  Write(base, absl::StrReplaceAll(text, {{flag, "id: \"both_legs_neurological\"\n  level: LEVEL_SEE_DOCTOR"}}));
  const std::string edited = Version();
  ASSERT_NE(edited, approved);

  av1::ReloadDialogsResponse reloaded;
  const grpc::Status gated = Reload(*admin, &reloaded);
  EXPECT_EQ(gated.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(gated.error_message(), HasSubstr(absl::StrCat("version ", edited, " has no approval")));
  kill((*server)->pid(), SIGHUP);
  // The reload proves the dialog over every path first: slow under the
  // sanitizers. Bounded wait for its log line.
  const std::string refusal = absl::StrCat(edited, " has no approval");
  for (int i = 0; i < 300 && (*server)->Log().find(refusal) == std::string::npos; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_THAT((*server)->Log(), HasSubstr(refusal));
  EXPECT_EQ(ServedVersion(*triage), approved) << "the approved version keeps serving";

  // Approved: the edit serves, and ListDialogs and /metrics say by whom.
  Write(dir_ + "/approvals.txtpb", ApprovalEntry(approved, "Dr Ada Reviewer") +
                                       ApprovalEntry(edited, "Dr Bo Signer"));
  ASSERT_TRUE(Reload(*admin, &reloaded).ok());
  EXPECT_EQ(ServedVersion(*triage), edited);
  ASSERT_EQ(reloaded.dialogs_size(), 1);
  EXPECT_EQ(reloaded.dialogs(0).approved_by(), "Dr Bo Signer");
  EXPECT_EQ(reloaded.dialogs(0).approver_role(), "Clinical safety officer");
  EXPECT_EQ(reloaded.dialogs(0).approved_on(), "2026-12-02");
  const int http_port = testing::WaitForPortFile(dir_ + "/http.port");
  auto metrics = testing::SendRawHttp(
      http_port, absl::StrCat("GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ", kKey,
                              "\r\n\r\n"));
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  EXPECT_THAT(metrics->body, HasSubstr(absl::StrCat("backchat_dialog_serving{dialog=\"back_pain\",version=\"",
                                                    edited, "\",approved=\"true\"} 1")));
  EXPECT_THAT(metrics->body, HasSubstr("approver=\"Dr Bo Signer\""));
}

TEST(ApprovalsFileTest, ProblemsAreRefusedWithWhere) {
  auto parsed = engine::ParseApprovals(
      "approvals { dialog: \"back_pain\" version: \"XYZ\" approver: \"\" role: \"CSO\" "
      "date: \"2 Dec\" }\n"
      "approvals { dialog: \"back_pain\" version: \"0123456789abcdef\" approver: \"A\" "
      "role: \"CSO\" date: \"2026-12-02\" }\n"
      "approvals { dialog: \"back_pain\" version: \"0123456789abcdef\" approver: \"B\" "
      "role: \"CSO\" date: \"2026-12-03\" }\n",
      "approvals.txtpb");
  ASSERT_FALSE(parsed.ok());
  const std::string message(parsed.status().message());
  EXPECT_THAT(message, HasSubstr("approvals.txtpb:1:"));
  EXPECT_THAT(message, HasSubstr("is not a dialog version"));
  EXPECT_THAT(message, HasSubstr("needs the name of the clinician"));
  EXPECT_THAT(message, HasSubstr("YYYY-MM-DD"));
  EXPECT_THAT(message, HasSubstr("approvals.txtpb:3:"));
  EXPECT_THAT(message, HasSubstr("approved twice"));
  EXPECT_THAT(std::string(engine::ParseApprovals("approvals {", "a.txtpb").status().message()),
              HasSubstr("a.txtpb:1:"));
  EXPECT_TRUE(engine::ParseApprovals("", "empty.txtpb").ok());
}

}  // namespace
}  // namespace backchat::api
