// Over Connect JSON on the real listener, on the SQLite store: an answer is
// acknowledged only once its transaction has committed (the web gateway's
// path, as tests/api/answered_once_saved_test.cc checks gRPC's).
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "backchat/triage/v1/triage.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "service/api/conversations.h"
#include "service/api/store_workers.h"
#include "service/common/http/http_server.h"
#include "service/common/sqlite/sqlite_database.h"
#include "service/http/web_gateway.h"
#include "service/store/session_codec.h"
#include "service/store/sqlite_session_store.h"
#include "tests/support/dialog_paths.h"
#include "tests/support/http_client.h"
#include "tests/support/live_server.h"

namespace backchat::http {
namespace {

namespace tv1 = ::backchat::triage::v1;

TEST(ConnectAnsweredOnceSavedTest, AnAnswerIsAcknowledgedOnlyOnceItsTransactionCommitted) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/connect_answered_once_saved_", getpid(), ".db");
  std::filesystem::remove(path);
  auto dialogs = testing::LoadSourceDialogs();
  store::SessionCodec codec(dialogs.get());
  store::SqliteStoreOptions options;
  options.path = path;
  options.cleanup_interval = absl::ZeroDuration();
  auto sessions = store::SqliteSessionStore::Open(options, &codec);
  ASSERT_TRUE(sessions.ok()) << sessions.status();
  api::Conversations conversations(dialogs.get(), sessions->get());
  api::StoreWorkers workers(2);
  auto cors = CorsPolicy::Parse("");
  ASSERT_TRUE(cors.ok()) << cors.status();
  const std::filesystem::path web_dir =
      std::filesystem::path(::testing::TempDir()) / absl::StrCat("connect_saved_", getpid());
  std::filesystem::create_directories(web_dir);
  auto assets = WebAssets::Load(web_dir.string());
  ASSERT_TRUE(assets.ok()) << assets.status();
  WebGateway gateway(&conversations, *cors, *assets, nullptr, nullptr, &workers);
  HttpServerOptions http_options;
  http_options.port = 0;
  auto server = HttpServer::StartAsync(http_options, [&](HttpRequest request, HttpReply reply) {
    gateway.Serve(std::move(request), std::move(reply));
  });
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  auto call = [port](const std::string& method, const std::string& json) {
    return testing::PostHttp(port, absl::StrCat("/backchat.triage.v1.TriageService/", method),
                             "application/json", json);
  };

  auto started = call("StartSession", "{}");
  ASSERT_TRUE(started.ok()) << started.status();
  ASSERT_EQ(started->status, 200) << started->body;
  tv1::StartSessionResponse start;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(started->body, &start).ok());
  const tv1::Turn& turn = start.turn();
  std::string options_json;
  for (const auto& option : testing::BackPainSelfCareAnswers().at(turn.question().id())) {
    absl::StrAppend(&options_json, options_json.empty() ? "" : ",", "\"", option, "\"");
  }
  const std::string answer = absl::StrCat("{\"sessionId\":\"", turn.session_id(),
                                          "\",\"questionId\":\"", turn.question().id(),
                                          "\",\"optionIds\":[", options_json, "]}");

  auto database = store::SqliteDatabase::Shared(path, false);
  ASSERT_TRUE(database.ok()) << database.status();
  absl::StatusOr<testing::HttpReply> reply = absl::UnknownError("not answered");
  absl::Notification answered;
  std::thread client;
  {
    // While the test holds the file's lock, no transaction can commit.
    absl::MutexLock lock(&(*database)->mutex());
    client = std::thread([&] {
      reply = call("SubmitAnswer", answer);
      answered.Notify();
    });
    EXPECT_FALSE(answered.WaitForNotificationWithTimeout(absl::Milliseconds(500)))
        << "answered before the answer was saved";
  }
  EXPECT_TRUE(answered.WaitForNotificationWithTimeout(absl::Seconds(10)));
  client.join();
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 200) << reply->body;
  // The reply's question is the next one, and the file has the answer.
  tv1::SubmitAnswerResponse answered_turn;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(reply->body, &answered_turn).ok());
  EXPECT_NE(answered_turn.turn().question().id(), turn.question().id());
  auto stored = (*sessions)->Load(turn.session_id());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->version, 1u);

  (*server)->Shutdown();
  workers.Drain();
  (*sessions)->AwaitWrites();
  database->reset();
  std::filesystem::remove_all(web_dir);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace backchat::http
