// One client flooding the server is limited (RESOURCE_EXHAUSTED / 429,
// with a retry hint) while another client's conversation goes on
// untouched. Clients are told apart by address: the flooder connects from
// 127.0.0.2, the others from 127.0.0.1 and 127.0.0.3.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/dialog_paths.h"
#include "tests/support/http_client.h"
#include "tests/support/server_process.h"

namespace backchat::testing {
namespace {

namespace tv1 = ::backchat::triage::v1;

std::string Rpc(const std::string& method, const std::string& json) {
  return absl::StrCat("POST /backchat.triage.v1.TriageService/", method,
                      " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ",
                      json.size(), "\r\n\r\n", json);
}

class FloodTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_file_ = absl::StrCat(::testing::TempDir(), "/flood_http_port_", getpid());
    std::remove(port_file_.c_str());
    auto server = ServerProcess::Start(
        {absl::StrCat("--dialogs=", BACKCHAT_SOURCE_DIR, "/dialogs"), "--store=memory",
         "--http_port=0", "--http_port_file=" + port_file_, "--rate_limit_per_second=5",
         "--rate_limit_burst=10", "--sessions_per_minute_per_client=3"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    http_port_ = WaitForPortFile(port_file_);
    ASSERT_NE(http_port_, 0) << server_->Log();
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
  }

  void TearDown() override { std::remove(port_file_.c_str()); }

  std::string port_file_;
  std::unique_ptr<ServerProcess> server_;
  int http_port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(FloodTest, AFloodingClientIsLimitedWhileAnotherIsServed) {
  std::atomic<bool> stop{false};
  std::atomic<int> limited{0}, served{0}, other{0};
  std::string first_limited_reply;
  std::thread flooder([&] {
    auto connection = HttpConnection::Open(http_port_, "127.0.0.2");
    ASSERT_TRUE(connection.ok()) << connection.status();
    const std::string request = Rpc("GetSession", "{\"sessionId\":\"00000000000000000000000000000000\"}");
    // Bounded: stops when told, or after 20,000 calls.
    for (int i = 0; i < 20000 && !stop.load(); ++i) {
      auto reply = (*connection)->Exchange(request);
      ASSERT_TRUE(reply.ok()) << reply.status();
      if (reply->status == 429) {
        if (limited++ == 0) {
          first_limited_reply = absl::StrCat(reply->Header("retry-after"), " ", reply->body);
        }
      } else if (reply->status == 404) {
        ++served;  // an unknown session: served, not limited
      } else {
        ++other;
      }
    }
  });

  // Meanwhile a patient on gRPC goes through a whole conversation, at a
  // person's pace but faster than any person (4 calls a second).
  auto stub = tv1::TriageService::NewStub(channel_);
  const Answers& answers = BackPainSelfCareAnswers();
  grpc::ClientContext start_context;
  tv1::StartSessionResponse started;
  ASSERT_TRUE(stub->StartSession(&start_context, {}, &started).ok());
  tv1::Turn turn = started.turn();
  int turns = 0;
  while (turn.has_question() && turns < 20) {
    absl::SleepFor(absl::Milliseconds(250));
    tv1::SubmitAnswerRequest request;
    request.set_session_id(turn.session_id());
    request.set_question_id(turn.question().id());
    for (const std::string& id : answers.at(turn.question().id())) request.add_option_ids(id);
    grpc::ClientContext context;
    tv1::SubmitAnswerResponse response;
    const grpc::Status status = stub->SubmitAnswer(&context, request, &response);
    ASSERT_TRUE(status.ok()) << "the patient was limited: " << status.error_message();
    turn = response.turn();
    ++turns;
  }
  stop = true;
  flooder.join();
  EXPECT_EQ(turn.outcome().level(), tv1::LEVEL_SELF_CARE);
  EXPECT_EQ(other.load(), 0);
  // In about 3.5 s at 5 calls a second plus a burst of 10, the flooder got
  // roughly 27 calls through and everything else was refused.
  EXPECT_LE(served.load(), 40);
  EXPECT_GT(limited.load(), 100);
  EXPECT_THAT(first_limited_reply, ::testing::StartsWith("1 "));
  EXPECT_THAT(first_limited_reply, ::testing::HasSubstr("\"code\":\"resource_exhausted\""));
}

TEST_F(FloodTest, TooManyConversationsFromOneClientOverGrpc) {
  auto stub = tv1::TriageService::NewStub(channel_);
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string pushback;
  for (int i = 0; i < 4; ++i) {
    grpc::ClientContext context;
    tv1::StartSessionResponse response;
    const grpc::Status status = stub->StartSession(&context, {}, &response);
    code = status.error_code();
    if (!status.ok()) {
      const auto& trailers = context.GetServerTrailingMetadata();
      const auto found = trailers.find("grpc-retry-pushback-ms");
      if (found != trailers.end()) pushback.assign(found->second.data(), found->second.size());
      EXPECT_THAT(status.error_message(), ::testing::HasSubstr("too many conversations"));
    }
  }
  EXPECT_EQ(code, grpc::StatusCode::RESOURCE_EXHAUSTED);
  ASSERT_FALSE(pushback.empty());
  EXPECT_GT(std::stoi(pushback), 50000);  // most of the minute
  // Another client can still start one.
  auto connection = HttpConnection::Open(http_port_, "127.0.0.3");
  ASSERT_TRUE(connection.ok());
  auto reply = (*connection)->Exchange(Rpc("StartSession", "{}"));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 200);
}

}  // namespace
}  // namespace backchat::testing
