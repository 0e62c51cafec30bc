// Over real gRPC, on the SQLite store: an answer is acknowledged only once
// its transaction has committed, and the call waits for that without
// holding a thread; a save that fails is the call's error.
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "gtest/gtest.h"
#include "service/common/sqlite/sqlite_database.h"
#include "service/records/record_stores.h"
#include "service/store/session_codec.h"
#include "service/store/sqlite_session_store.h"
#include "tests/support/dialog_paths.h"
#include "tests/support/live_server.h"

namespace backchat::testing {
namespace {

namespace tv1 = ::backchat::triage::v1;

class AnsweredOnceSavedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::remove(path_);
    store::SqliteStoreOptions options;
    options.path = path_;
    options.cleanup_interval = absl::ZeroDuration();
    auto sessions = store::SqliteSessionStore::Open(options, &codec_);
    ASSERT_TRUE(sessions.ok()) << sessions.status();
    sessions_ = *std::move(sessions);
    auto records = records::SqliteRecordStore::Open(path_);
    ASSERT_TRUE(records.ok()) << records.status();
    records_ = *std::move(records);
    auto server = LiveServer::Start(dialogs_.get(), sessions_.get(), records_.get());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = tv1::TriageService::NewStub(server_->channel());
    auto database = store::SqliteDatabase::Shared(path_, false);
    ASSERT_TRUE(database.ok()) << database.status();
    database_ = *std::move(database);
  }
  void TearDown() override {
    server_.reset();
    database_.reset();
    records_.reset();
    sessions_.reset();
    std::filesystem::remove(path_);
  }

  tv1::Turn Start() {
    tv1::StartSessionRequest request;
    tv1::StartSessionResponse response;
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    EXPECT_TRUE(stub_->StartSession(&context, request, &response).ok());
    return response.turn();
  }

  // Answers `turn`'s question on a thread of its own; `answered` is
  // notified with the call's status in `status`.
  std::thread AnswerInBackground(const tv1::Turn& turn, grpc::Status* status,
                                 absl::Notification* answered) {
    tv1::SubmitAnswerRequest request;
    request.set_session_id(turn.session_id());
    request.set_question_id(turn.question().id());
    for (const auto& option : BackPainSelfCareAnswers().at(turn.question().id())) {
      request.add_option_ids(option);
    }
    return std::thread([this, request, status, answered] {
      tv1::SubmitAnswerResponse response;
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
      *status = stub_->SubmitAnswer(&context, request, &response);
      answered->Notify();
    });
  }

  uint64_t VersionInFile(const std::string& id) {
    absl::MutexLock lock(&database_->mutex());
    sqlite3_stmt* select = nullptr;
    sqlite3_prepare_v2(database_->connection(), "SELECT version FROM sessions WHERE id = ?1",
                       -1, &select, nullptr);
    sqlite3_bind_text(select, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    const uint64_t version = sqlite3_step(select) == SQLITE_ROW
                                 ? static_cast<uint64_t>(sqlite3_column_int64(select, 0))
                                 : ~uint64_t{0};
    sqlite3_finalize(select);
    return version;
  }

  const std::string path_ =
      absl::StrCat(::testing::TempDir(), "/answered_once_saved_", getpid(), ".db");
  std::unique_ptr<engine::DialogRegistry> dialogs_ = LoadSourceDialogs();
  store::SessionCodec codec_{dialogs_.get()};
  std::unique_ptr<store::SqliteSessionStore> sessions_;
  std::unique_ptr<records::SqliteRecordStore> records_;
  std::unique_ptr<LiveServer> server_;
  std::unique_ptr<tv1::TriageService::Stub> stub_;
  std::shared_ptr<store::SqliteDatabase> database_;
};

TEST_F(AnsweredOnceSavedTest, AnAnswerIsAcknowledgedOnlyOnceItsTransactionCommitted) {
  const tv1::Turn turn = Start();
  ASSERT_FALSE(turn.session_id().empty());
  EXPECT_EQ(VersionInFile(turn.session_id()), 0u);

  grpc::Status status;
  absl::Notification answered;
  std::thread client;
  {
    // While the test holds the file's lock, no transaction can commit.
    absl::MutexLock lock(&database_->mutex());
    client = AnswerInBackground(turn, &status, &answered);
    EXPECT_FALSE(answered.WaitForNotificationWithTimeout(absl::Milliseconds(500)))
        << "answered before the answer was saved: " << status.error_message();
  }
  EXPECT_TRUE(answered.WaitForNotificationWithTimeout(absl::Seconds(10)));
  client.join();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(VersionInFile(turn.session_id()), 1u);
}

TEST_F(AnsweredOnceSavedTest, ASaveThatFailsIsTheCallsErrorAndNothingIsAcknowledged) {
  const tv1::Turn turn = Start();
  ASSERT_FALSE(turn.session_id().empty());
  grpc::Status status;
  absl::Notification answered;
  std::thread client;
  {
    absl::MutexLock lock(&database_->mutex());
    ASSERT_EQ(sqlite3_exec(database_->connection(), "PRAGMA query_only = ON", nullptr, nullptr,
                           nullptr),
              SQLITE_OK);
    client = AnswerInBackground(turn, &status, &answered);
    // Let the answer reach the writer, which waits for the lock.
    answered.WaitForNotificationWithTimeout(absl::Milliseconds(300));
  }
  EXPECT_TRUE(answered.WaitForNotificationWithTimeout(absl::Seconds(10)));
  client.join();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("session store"), std::string::npos)
      << status.error_message();
  {
    absl::MutexLock lock(&database_->mutex());
    ASSERT_EQ(sqlite3_exec(database_->connection(), "PRAGMA query_only = OFF", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
  }
  EXPECT_EQ(VersionInFile(turn.session_id()), 0u);
  // The conversation goes on from what was saved: the same question.
  grpc::Status again;
  absl::Notification answered_again;
  std::thread retry = AnswerInBackground(turn, &again, &answered_again);
  EXPECT_TRUE(answered_again.WaitForNotificationWithTimeout(absl::Seconds(10)));
  retry.join();
  EXPECT_TRUE(again.ok()) << again.error_message();
  EXPECT_EQ(VersionInFile(turn.session_id()), 1u);
}

}  // namespace
}  // namespace backchat::testing
