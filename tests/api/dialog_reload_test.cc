// Reloading dialogs on a live server: new sessions get the new version,
// sessions in flight keep theirs, and a bad dialog changes nothing.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "backchat/admin/v1/admin.grpc.pb.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "service/api/conversations.h"
#include "service/api/server.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/store/memory_session_store.h"
#include "tests/support/live_server.h"

namespace backchat::api {
namespace {

namespace fs = std::filesystem;
namespace tv1 = ::backchat::triage::v1;
namespace av1 = ::backchat::admin::v1;
using ::testing::HasSubstr;

class DialogReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // ctest runs test cases in parallel processes: one directory each.
    dir_ = absl::StrCat(::testing::TempDir(), "/reload_dialogs_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                        "_", getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const char* name : {"back_pain.textproto", "back_pain.es.textproto"}) {
      fs::copy_file(absl::StrCat(BACKCHAT_SOURCE_DIR, "/dialogs/", name),
                    absl::StrCat(dir_, "/", name));
    }
    auto dialogs = engine::DialogRegistry::LoadDirectory(dir_, "back_pain");
    ASSERT_TRUE(dialogs.ok()) << dialogs.status();
    dialogs_ = *std::move(dialogs);
    auto live = testing::LiveServer::Start(dialogs_.get(), &sessions_);
    ASSERT_TRUE(live.ok()) << live.status();
    live_ = *std::move(live);
    triage_ = tv1::TriageService::NewStub(live_->channel());
    admin_ = av1::AdminService::NewStub(live_->channel());
  }

  // Rewrites the base dialog file with `from` replaced by `to`.
  void EditDialog(const std::string& from, const std::string& to) {
    const std::string path = dir_ + "/back_pain.textproto";
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    in.close();
    std::ofstream(path) << absl::StrReplaceAll(text.str(), {{from, to}});
  }

  tv1::Turn Call(const std::string& session, const std::vector<std::string>& options) {
    grpc::ClientContext context;
    tv1::SubmitAnswerRequest request;
    request.set_session_id(session);
    for (const auto& o : options) request.add_option_ids(o);
    tv1::SubmitAnswerResponse response;
    EXPECT_TRUE(triage_->SubmitAnswer(&context, request, &response).ok());
    return response.turn();
  }

  tv1::Turn Start() {
    grpc::ClientContext context;
    tv1::StartSessionResponse response;
    EXPECT_TRUE(triage_->StartSession(&context, {}, &response).ok());
    return response.turn();
  }

  grpc::Status Reload(av1::ReloadDialogsResponse* response) {
    grpc::ClientContext context;
    backchat::testing::AuthorizeAdmin(&context);
    return admin_->ReloadDialogs(&context, {}, response);
  }

  std::string dir_;
  store::MemorySessionStore sessions_;
  std::unique_ptr<engine::DialogRegistry> dialogs_;
  std::unique_ptr<testing::LiveServer> live_;
  std::unique_ptr<tv1::TriageService::Stub> triage_;
  std::unique_ptr<av1::AdminService::Stub> admin_;
};

TEST_F(DialogReloadTest, NewSessionsGetTheNewVersionOldOnesKeepTheirs) {
  const tv1::Turn before = Start();
  EditDialog("Call emergency services now, or go to the nearest emergency department.",
             "Call emergency services now (edited).");
  av1::ReloadDialogsResponse reloaded;
  const grpc::Status status = Reload(&reloaded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(reloaded.dialogs_size(), 1);
  EXPECT_NE(reloaded.dialogs(0).version(), before.dialog_version());
  EXPECT_THAT(reloaded.dialogs(0).check_summary(), HasSubstr("safe"));
  EXPECT_THAT(reloaded.dialogs(0).locales(), ::testing::ElementsAre("en", "es"));

  const tv1::Turn old_outcome = Call(before.session_id(), {"both_legs"});
  EXPECT_EQ(old_outcome.dialog_version(), before.dialog_version());
  EXPECT_THAT(old_outcome.outcome().headline(), HasSubstr("nearest emergency department"));

  const tv1::Turn after = Start();
  EXPECT_EQ(after.dialog_version(), reloaded.dialogs(0).version());
  const tv1::Turn new_outcome = Call(after.session_id(), {"both_legs"});
  EXPECT_THAT(new_outcome.outcome().headline(), HasSubstr("(edited)"));
}

TEST_F(DialogReloadTest, ABadDialogKeepsTheOldVersionServing) {
  const tv1::Turn before = Start();
  EditDialog("question: \"warning_signs\" any_of: \"both_legs\"",
             "question: \"warning_signz\" any_of: \"both_legs\"");
  av1::ReloadDialogsResponse reloaded;
  const grpc::Status status = Reload(&reloaded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("still serving the previous dialogs"));
  EXPECT_THAT(status.error_message(),
              ::testing::ContainsRegex("back_pain\\.textproto:[0-9]+:[0-9]+: red flag"));
  EXPECT_EQ(Start().dialog_version(), before.dialog_version());
}

TEST_F(DialogReloadTest, AnUnsafeDialogIsRefusedWithThePath) {
  // Older adults would get deep tissue massage: the check must refuse it.
  EditDialog("  technique: \"swedish\"\n  reason: \"At 70 or over",
             "  technique: \"deep_tissue\"\n  reason: \"At 70 or over");
  av1::ReloadDialogsResponse reloaded;
  const grpc::Status status = Reload(&reloaded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("the dialog check failed"));
  EXPECT_THAT(status.error_message(),
              HasSubstr("technique \"deep_tissue\" is not gentle"));
  EXPECT_THAT(status.error_message(), HasSubstr("age = age_70_plus"));
}

TEST_F(DialogReloadTest, ListDialogsDescribesWhatIsServed) {
  grpc::ClientContext context;
  backchat::testing::AuthorizeAdmin(&context);
  av1::ListDialogsResponse response;
  ASSERT_TRUE(admin_->ListDialogs(&context, {}, &response).ok());
  ASSERT_EQ(response.dialogs_size(), 1);
  EXPECT_EQ(response.dialogs(0).id(), "back_pain");
  EXPECT_EQ(response.dialogs(0).question_count(), 17);
  EXPECT_EQ(response.dialogs(0).red_flag_count(), 23);
}

}  // namespace
}  // namespace backchat::api
