// A load of conversations against the real server on SQLite; the server is
// killed with SIGKILL mid-way and restarted on the same file. Every turn a
// client saw acknowledged must be there, and every conversation continues.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/dialog_paths.h"
#include "tests/support/server_process.h"

namespace backchat::testing {
namespace {

namespace tv1 = ::backchat::triage::v1;

struct Tracked {
  tv1::Turn turn;       // The last turn the client saw.
  int acknowledged = 0; // Answers the server acknowledged.
};

std::unique_ptr<tv1::TriageService::Stub> Connect(const ServerProcess& server) {
  return tv1::TriageService::NewStub(
      grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
}

grpc::Status AnswerCurrent(tv1::TriageService::Stub& stub, Tracked& session) {
  tv1::SubmitAnswerRequest request;
  request.set_session_id(session.turn.session_id());
  request.set_question_id(session.turn.question().id());
  for (const auto& option : BackPainSelfCareAnswers().at(session.turn.question().id())) {
    request.add_option_ids(option);
  }
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  tv1::SubmitAnswerResponse response;
  const grpc::Status status = stub.SubmitAnswer(&context, request, &response);
  if (status.ok()) {
    session.turn = response.turn();
    ++session.acknowledged;
  }
  return status;
}

TEST(SqliteKillTest, AcknowledgedTurnsSurviveSigkill) {
  const std::string db = absl::StrCat(::testing::TempDir(), "/kill_", getpid(), ".db");
  std::filesystem::remove(db);
  const std::vector<std::string> flags = {
      absl::StrCat("--dialogs=", BACKCHAT_SOURCE_DIR, "/dialogs"), "--store=sqlite",
      absl::StrCat("--sqlite_path=", db)};
  auto server = ServerProcess::Start(flags);
  ASSERT_TRUE(server.ok()) << server.status();
  auto stub = Connect(**server);

  constexpr int kSessions = 24;
  constexpr int kThreads = 4;
  constexpr int kKillAfter = 120;  // Acknowledged answers before SIGKILL.
  std::vector<Tracked> sessions(kSessions);
  for (Tracked& session : sessions) {
    grpc::ClientContext context;
    tv1::StartSessionResponse response;
    ASSERT_TRUE(stub->StartSession(&context, {}, &response).ok());
    session.turn = response.turn();
  }

  absl::Mutex mu;
  int total_acknowledged = 0;
  std::thread killer([&] {
    absl::MutexLock lock(&mu);
    auto enough = [&]() { return total_acknowledged >= kKillAfter; };
    mu.Await(absl::Condition(&enough));
    (*server)->Stop(SIGKILL);
  });
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      bool progress = true;
      while (progress) {
        progress = false;
        for (int i = t; i < kSessions; i += kThreads) {
          Tracked& session = sessions[i];
          if (!session.turn.has_question()) continue;
          if (!AnswerCurrent(*stub, session).ok()) return;  // The server is gone.
          progress = true;
          absl::MutexLock lock(&mu);
          ++total_acknowledged;
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  {
    // Every conversation finished before the kill (should not happen with
    // these numbers): kill anyway so the killer thread ends.
    absl::MutexLock lock(&mu);
    total_acknowledged = std::max(total_acknowledged, kKillAfter);
  }
  killer.join();

  auto restarted = ServerProcess::Start(flags);
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  stub = Connect(**restarted);
  int acknowledged = 0;
  int found = 0;
  int lost = 0;
  for (Tracked& session : sessions) {
    grpc::ClientContext context;
    tv1::GetSessionRequest request;
    request.set_session_id(session.turn.session_id());
    tv1::GetSessionResponse response;
    ASSERT_TRUE(stub->GetSession(&context, request, &response).ok())
        << "a session is gone after the restart";
    const tv1::Turn& turn = response.turn();
    const int answered = turn.has_question()
                             ? turn.question().progress().answered()
                             : session.acknowledged;  // Finished: all kept.
    acknowledged += session.acknowledged;
    found += std::min(answered, session.acknowledged);
    if (answered < session.acknowledged) ++lost;
    // One more answer than acknowledged is allowed: it was written but the
    // reply was lost with the process.
    EXPECT_LE(answered, session.acknowledged + 1);
    session.turn = turn;
    // Every conversation continues to its outcome.
    for (int guard = 0; guard < 20 && session.turn.has_question(); ++guard) {
      ASSERT_TRUE(AnswerCurrent(*stub, session).ok());
    }
    EXPECT_TRUE(session.turn.has_outcome());
  }
  EXPECT_EQ(lost, 0);
  EXPECT_GE(acknowledged, kKillAfter);
  std::cout << "SIGKILL test: " << kSessions << " sessions, " << acknowledged
            << " acknowledged answers before the kill, " << found
            << " found after the restart, " << lost << " sessions lost turns\n";
  // Close the client's connection first: a server with connected clients
  // waits out its shutdown grace period (5 s).
  stub.reset();
  (*restarted)->Stop(SIGTERM);
  std::filesystem::remove(db);
}

TEST(SqliteKillTest, ASecondServerOnTheSameFileIsRefusedSayingWhy) {
  const std::string db = absl::StrCat(::testing::TempDir(), "/second_", getpid(), ".db");
  std::filesystem::remove(db);
  const std::vector<std::string> flags = {
      absl::StrCat("--dialogs=", BACKCHAT_SOURCE_DIR, "/dialogs"), "--store=sqlite",
      absl::StrCat("--sqlite_path=", db)};
  auto first = ServerProcess::Start(flags);
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = ServerProcess::Start(flags);
  ASSERT_FALSE(second.ok()) << "a second server started on " << db;
  EXPECT_NE(second.status().message().find("another backchat_server"), std::string::npos)
      << second.status();
  // The first one still serves.
  auto stub = Connect(**first);
  tv1::StartSessionRequest request;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  tv1::StartSessionResponse response;
  EXPECT_TRUE(stub->StartSession(&context, request, &response).ok());
  (*first)->Stop(SIGTERM);
  std::filesystem::remove(db);
}

}  // namespace
}  // namespace backchat::testing
