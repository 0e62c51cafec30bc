// Several BackChat replicas on one real redis-server (started by the test
// on a loopback port): conversations move between replicas, concurrent
// answers to one session never both apply, and a Redis restart is survived.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "service/api/conversations.h"
#include "service/api/server.h"
#include "service/common/deferred_writes.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/records/record_stores.h"
#include "service/store/redis_connection.h"
#include "service/store/redis_session_store.h"
#include "service/store/session_codec.h"
#include "tests/support/dialog_paths.h"
#include "tests/support/live_server.h"
#include "tests/support/server_process.h"

namespace backchat::testing {
namespace {

namespace tv1 = ::backchat::triage::v1;

struct Replica {
  std::unique_ptr<store::RedisSessionStore> sessions;
  std::unique_ptr<records::RedisRecordStore> records;
  std::unique_ptr<LiveServer> server;
  std::unique_ptr<tv1::TriageService::Stub> stub;
};

class RedisStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/redis_", getpid(), "_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    port_ = FreeLoopbackPort();
    StartRedis();
    dialogs_ = LoadSourceDialogs();
    codec_ = std::make_unique<store::SessionCodec>(dialogs_.get());
    for (Replica& replica : replicas_) {
      store::RedisStoreOptions options;
      options.port = port_;
      options.max_sessions = 50;
      auto sessions = store::RedisSessionStore::Open(options, codec_.get());
      ASSERT_TRUE(sessions.ok()) << sessions.status();
      replica.sessions = *std::move(sessions);
      replica.records = std::make_unique<records::RedisRecordStore>(
          store::RedisAddress{"127.0.0.1", port_});
      auto server =
          LiveServer::Start(dialogs_.get(), replica.sessions.get(), replica.records.get());
      ASSERT_TRUE(server.ok());
      replica.server = *std::move(server);
      replica.stub = tv1::TriageService::NewStub(replica.server->channel());
    }
  }

  void TearDown() override {
    for (Replica& replica : replicas_) {
      replica.stub.reset();
      replica.server.reset();
    }
    if (redis_) redis_->Stop(SIGTERM);
    std::filesystem::remove_all(dir_);
  }

  // Starts redis-server with `extra` flags, and returns once it logs `ready`.
  void StartRedis(const std::vector<std::string>& extra = {},
                  const std::string& ready = "Ready to accept connections") {
    std::vector<std::string> argv = {
        "/usr/bin/redis-server", "--port", absl::StrCat(port_), "--bind", "127.0.0.1",
        "--dir", dir_, "--save", "", "--appendonly", "yes", "--appendfsync", "always"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto redis = ServerProcess::StartProgram(argv, ready);
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
  }

  tv1::Turn Start(Replica& replica) {
    grpc::ClientContext context;
    tv1::StartSessionResponse response;
    const grpc::Status status = replica.stub->StartSession(&context, {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.turn();
  }

  grpc::Status Answer(Replica& replica, const tv1::Turn& turn,
                      const std::vector<std::string>& options, tv1::Turn* out) {
    tv1::SubmitAnswerRequest request;
    request.set_session_id(turn.session_id());
    request.set_question_id(turn.question().id());
    for (const auto& option : options) request.add_option_ids(option);
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    tv1::SubmitAnswerResponse response;
    const grpc::Status status = replica.stub->SubmitAnswer(&context, request, &response);
    if (status.ok()) *out = response.turn();
    return status;
  }

  // Answers `turn` and the questions after it, the replicas taking turns,
  // until an outcome (at most 20 answers; a failed one fails the test and
  // stops). Returns the answers given.
  int AnswerAlternatelyToTheEnd(tv1::Turn* turn) {
    int step = 0;
    while (turn->has_question() && step < 20) {
      ++step;
      const grpc::Status answered = Answer(replicas_[step % 2], *turn, Default(*turn), turn);
      if (!answered.ok()) {
        ADD_FAILURE() << "step " << step << ": " << answered.error_message();
        break;
      }
    }
    return step;
  }

  const std::vector<std::string>& Default(const tv1::Turn& turn) {
    return BackPainSelfCareAnswers().at(turn.question().id());
  }

  std::string dir_;
  int port_ = 0;
  std::unique_ptr<ServerProcess> redis_;
  std::unique_ptr<engine::DialogRegistry> dialogs_;
  std::unique_ptr<store::SessionCodec> codec_;
  Replica replicas_[2];
};

TEST_F(RedisStoreTest, AConversationAlternatesBetweenReplicas) {
  tv1::Turn turn = Start(replicas_[0]);
  const int step = AnswerAlternatelyToTheEnd(&turn);
  ASSERT_TRUE(turn.has_outcome());
  EXPECT_EQ(turn.outcome().level(), tv1::LEVEL_SELF_CARE);
  EXPECT_GE(step, 10);
  // Each answer met a stale copy and ran again on the stored session: the
  // conversation still has exactly one record, the one the reply names.
  auto records = replicas_[0].records->List(absl::UnixEpoch(), 0);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].record_id(), turn.record_id());
}

// Scripts Redis has run (EVALSHA and EVAL): one per store operation.
int64_t ScriptsRun(int port) {
  store::RedisConnection redis(store::RedisAddress{"127.0.0.1", port, 0, absl::Seconds(1)});
  auto reply = redis.Command({"INFO", "commandstats"});
  if (!reply.ok() || (*reply)->type != REDIS_REPLY_STRING) {
    ADD_FAILURE() << "INFO commandstats failed";
    return -1;
  }
  int64_t calls = 0;
  for (absl::string_view line : absl::StrSplit(absl::string_view((*reply)->str, (*reply)->len), '\n')) {
    int64_t n = 0;
    if ((absl::ConsumePrefix(&line, "cmdstat_evalsha:calls=") ||
         absl::ConsumePrefix(&line, "cmdstat_eval:calls=")) &&
        absl::SimpleAtoi(line.substr(0, line.find(',')), &n)) {
      calls += n;
    }
  }
  return calls;
}

TEST_F(RedisStoreTest, AnAnswerIsOneRoundTripAndAStaleCopyIsAnsweredOnTheStoredSession) {
  tv1::Turn turn = Start(replicas_[0]);
  ASSERT_TRUE(Answer(replicas_[0], turn, Default(turn), &turn).ok());
  // The replica that wrote the session last answers from its cache: the
  // checked update is the only round trip.
  const int64_t before = ScriptsRun(port_);
  ASSERT_TRUE(Answer(replicas_[0], turn, Default(turn), &turn).ok());
  ASSERT_TRUE(Answer(replicas_[0], turn, Default(turn), &turn).ok());
  EXPECT_EQ(ScriptsRun(port_) - before, 2);

  // The other replica moves the session on; the first one's cached copy
  // is now two answers behind, and the next answer there still applies to
  // the stored session's current question.
  ASSERT_TRUE(Answer(replicas_[1], turn, Default(turn), &turn).ok());
  ASSERT_TRUE(Answer(replicas_[1], turn, Default(turn), &turn).ok());
  const std::string asked = turn.question().id();
  ASSERT_TRUE(Answer(replicas_[0], turn, Default(turn), &turn).ok());
  EXPECT_NE(turn.question().id(), asked);
  grpc::ClientContext context;
  tv1::GetSessionRequest get;
  get.set_session_id(turn.session_id());
  tv1::GetSessionResponse stored;
  ASSERT_TRUE(replicas_[1].stub->GetSession(&context, get, &stored).ok());
  EXPECT_EQ(stored.turn().question().id(), turn.question().id());
  EXPECT_EQ(stored.turn().question().progress().answered(),
            turn.question().progress().answered());
}

TEST_F(RedisStoreTest, ConcurrentAnswersToOneSessionNeverBothApply) {
  int aborted = 0;
  int stale = 0;
  for (int trial = 0; trial < 20; ++trial) {
    const tv1::Turn turn = Start(replicas_[0]);
    absl::Notification go;
    grpc::Status results[2];
    tv1::Turn outs[2];
    const std::vector<std::string> answers[2] = {{"none"}, {"one_limb"}};
    std::thread racers[2];
    for (int r = 0; r < 2; ++r) {
      racers[r] = std::thread([&, r] {
        go.WaitForNotification();
        results[r] = Answer(replicas_[r], turn, answers[r], &outs[r]);
      });
    }
    go.Notify();
    for (auto& racer : racers) racer.join();
    const int applied = results[0].ok() + results[1].ok();
    EXPECT_EQ(applied, 1) << "trial " << trial << ": " << results[0].error_message()
                          << " / " << results[1].error_message();
    for (const grpc::Status& status : results) {
      if (status.error_code() == grpc::StatusCode::ABORTED) ++aborted;
      if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) ++stale;
    }
    // The stored answer is the one that was acknowledged.
    grpc::ClientContext context;
    tv1::GetSessionRequest get;
    get.set_session_id(turn.session_id());
    tv1::GetSessionResponse now;
    ASSERT_TRUE(replicas_[1].stub->GetSession(&context, get, &now).ok());
    const int winner = results[0].ok() ? 0 : 1;
    EXPECT_EQ(now.turn().question().id(), outs[winner].question().id());
  }
  std::cout << "20 races: the loser got ABORTED " << aborted
            << " times, FAILED_PRECONDITION (already answered) " << stale << " times\n";
}

TEST_F(RedisStoreTest, RedisRestartIsUnavailableThenTheConversationContinues) {
  tv1::Turn turn = Start(replicas_[0]);
  ASSERT_TRUE(Answer(replicas_[0], turn, Default(turn), &turn).ok());
  ASSERT_TRUE(Answer(replicas_[1], turn, Default(turn), &turn).ok());
  redis_->Stop(SIGTERM);
  tv1::Turn unused;
  const grpc::Status down = Answer(replicas_[0], turn, Default(turn), &unused);
  EXPECT_EQ(down.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_NE(down.error_message().find("Redis"), std::string::npos) << down.error_message();
  StartRedis();
  AnswerAlternatelyToTheEnd(&turn);
  EXPECT_TRUE(turn.has_outcome());
}

// Redis answers every command with LOADING while it reads its data back
// after a restart. A call then says so, in words that send an operator the
// right way (not "refused database 0"), and the conversation goes on, from
// either replica, once Redis is ready.
TEST_F(RedisStoreTest, WhileRedisLoadsItsDataCallsSaySoAndTheConversationThenGoesOn) {
  tv1::Turn turn = Start(replicas_[0]);
  ASSERT_TRUE(Answer(replicas_[0], turn, Default(turn), &turn).ok());
  {
    // Data enough for seconds of loading: 20,000 keys in another database,
    // each loaded 100 us late (--key-load-delay below). The delay applies
    // to the snapshot the log starts with, so the log is rewritten into one.
    store::RedisConnection filler(store::RedisAddress{"127.0.0.1", port_, 1, absl::Seconds(5)});
    for (int batch = 0; batch < 10; ++batch) {
      std::vector<std::string> mset = {"MSET"};
      for (int key = 0; key < 2000; ++key) {
        mset.push_back(absl::StrCat("filler:", batch, ":", key));
        mset.push_back("x");
      }
      ASSERT_TRUE(filler.Command(mset).ok());
    }
    ASSERT_TRUE(filler.Command({"BGREWRITEAOF"}).ok());
    bool rewritten = false;
    for (int poll = 0; poll < 100 && !rewritten; ++poll) {
      auto info = filler.Command({"INFO", "persistence"});
      ASSERT_TRUE(info.ok()) << info.status();
      const std::string text((*info)->str, (*info)->len);
      rewritten = absl::StrContains(text, "aof_rewrite_in_progress:0") &&
                  absl::StrContains(text, "aof_rewrite_scheduled:0");
      if (!rewritten) absl::SleepFor(absl::Milliseconds(100));
    }
    ASSERT_TRUE(rewritten) << "Redis did not rewrite its log within 10 s";
  }
  redis_->Stop(SIGTERM);
  // Redis answers between chunks of what it loads: small chunks, so that
  // most calls get its LOADING reply rather than no reply within the
  // store's timeout (both are said in words for the operator).
  StartRedis({"--key-load-delay", "100", "--loading-process-events-interval-bytes", "1024"},
             "Loading RDB produced by");

  const std::string loading_words = "loading its data; try again shortly";
  tv1::Turn unused;
  const grpc::Status loading = Answer(replicas_[0], turn, Default(turn), &unused);
  EXPECT_EQ(loading.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(absl::StrContains(loading.error_message(), loading_words))
      << loading.error_message();
  EXPECT_FALSE(absl::StrContains(redis_->Log(), "Done loading"))
      << "Redis finished loading before the call: the test proves nothing";
  // The same answer, again every 100 ms on the other replica (at most 20 s):
  // it fails with the same words until Redis is ready, then goes through.
  grpc::Status answered = loading;
  int refused = 1;
  for (int attempt = 0; attempt < 200 && !answered.ok(); ++attempt) {
    absl::SleepFor(absl::Milliseconds(100));
    answered = Answer(replicas_[1], turn, Default(turn), &turn);
    if (!answered.ok()) {
      ++refused;
      EXPECT_TRUE(absl::StrContains(answered.error_message(), loading_words))
          << answered.error_message();
    }
  }
  ASSERT_TRUE(answered.ok()) << answered.error_message();
  std::cout << refused << " calls said Redis was loading before one went through\n";
  EXPECT_TRUE(absl::StrContains(redis_->Log(), "Done loading"));
  AnswerAlternatelyToTheEnd(&turn);
  EXPECT_TRUE(turn.has_outcome());
}

// Redis that does not answer within the store's timeout (here: every
// client paused) is said to be busy or loading, in words for the operator,
// not as the socket's "Resource temporarily unavailable"; once it answers
// again, so does the session.
TEST_F(RedisStoreTest, RedisThatDoesNotAnswerInTimeIsSaidToBeBusy) {
  tv1::Turn turn = Start(replicas_[0]);
  store::RedisConnection control(store::RedisAddress{"127.0.0.1", port_, 0, absl::Seconds(1)});
  const absl::Time pause_ends = absl::Now() + absl::Milliseconds(2500);
  ASSERT_TRUE(control.Command({"CLIENT", "PAUSE", "2500", "ALL"}).ok());
  tv1::Turn unused;
  const grpc::Status paused = Answer(replicas_[0], turn, Default(turn), &unused);
  EXPECT_EQ(paused.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(absl::StrContains(
      paused.error_message(),
      absl::StrCat("Redis at 127.0.0.1:", port_,
                   " did not answer within 1s; it may be busy or loading its data")))
      << paused.error_message();
  absl::SleepFor(pause_ends - absl::Now());
  // UNAVAILABLE promises neither way whether the answer was applied: Redis
  // may run it once the pause ends. The session reads, at one of the two.
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  tv1::GetSessionRequest get;
  get.set_session_id(turn.session_id());
  tv1::GetSessionResponse stored;
  const grpc::Status read = replicas_[1].stub->GetSession(&context, get, &stored);
  ASSERT_TRUE(read.ok()) << read.error_message();
  EXPECT_EQ(stored.turn().session_id(), turn.session_id());
}

TEST_F(RedisStoreTest, AnErrorFromRedisNamesItsAddressAndTheAnswerThenGoesThrough) {
  tv1::Turn turn = Start(replicas_[0]);
  // Over its memory limit, with nothing it may evict, Redis refuses writes.
  store::RedisConnection control(store::RedisAddress{"127.0.0.1", port_, 0, absl::Seconds(1)});
  ASSERT_TRUE(control.Command({"CONFIG", "SET", "maxmemory-policy", "noeviction"}).ok());
  ASSERT_TRUE(control.Command({"CONFIG", "SET", "maxmemory", "1"}).ok());
  tv1::Turn unused;
  const grpc::Status refused = Answer(replicas_[0], turn, Default(turn), &unused);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(absl::StrContains(refused.error_message(),
                                absl::StrCat("Redis at 127.0.0.1:", port_,
                                             " answered with an error: ")))
      << refused.error_message();
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "OOM")) << refused.error_message();
  // Nothing was applied: once Redis has room, the same answer goes through
  // from the other replica, and the conversation finishes.
  ASSERT_TRUE(control.Command({"CONFIG", "SET", "maxmemory", "0"}).ok());
  tv1::Turn next;
  const grpc::Status answered = Answer(replicas_[1], turn, Default(turn), &next);
  ASSERT_TRUE(answered.ok()) << answered.error_message();
  EXPECT_NE(next.question().id(), turn.question().id());
  AnswerAlternatelyToTheEnd(&next);
  EXPECT_TRUE(next.has_outcome());
}

// Pauses Redis' writes (scripts included) until Unpause() or `limit`.
class RedisWritesPaused {
 public:
  RedisWritesPaused(int port, absl::Duration limit)
      : redis_(store::RedisAddress{"127.0.0.1", port, 0, absl::Seconds(1)}) {
    auto paused = redis_.Command(
        {"CLIENT", "PAUSE", absl::StrCat(absl::ToInt64Milliseconds(limit)), "WRITE"});
    EXPECT_TRUE(paused.ok()) << paused.status();
  }
  ~RedisWritesPaused() { Unpause(); }
  void Unpause() {
    auto unpaused = redis_.Command({"CLIENT", "UNPAUSE"});
    EXPECT_TRUE(unpaused.ok()) << unpaused.status();
  }

 private:
  store::RedisConnection redis_;
};

TEST_F(RedisStoreTest, WritesInsideACallArePipelinedAndTheCallIsAnsweredOnceRedisHasThem) {
  store::RedisSessionStore& store = *replicas_[0].sessions;
  std::vector<tv1::Turn> turns;
  for (int i = 0; i < 30; ++i) turns.push_back(Start(replicas_[0]));
  const uint64_t round_trips = store.pipelined_round_trips();
  absl::Mutex mu;
  int answered = 0;
  std::vector<absl::Status> results;
  {
    RedisWritesPaused paused(port_, absl::Milliseconds(900));
    for (const tv1::Turn& turn : turns) {
      DeferredWrites writes;
      auto session = store.LoadForUpdate(turn.session_id());
      ASSERT_TRUE(session.ok()) << session.status();
      session->updated = absl::Now();
      ASSERT_TRUE(store.Update(&*session).ok());  // at once: not saved yet
      EXPECT_EQ(session->version, 1u);
      std::move(writes).WhenSaved([&](absl::Status saved) {
        absl::MutexLock lock(&mu);
        ++answered;
        results.push_back(saved);
      });
    }
    // A call built on an unsaved copy is not answered from it: it runs
    // again outside a scope.
    {
      DeferredWrites writes;
      auto unsaved = store.LoadForUpdate(turns[0].session_id());
      EXPECT_TRUE(DeferredWrites::IsRunAgain(unsaved.status())) << unsaved.status();
      std::move(writes).WhenSaved([](absl::Status) {});
    }
    absl::SleepFor(absl::Milliseconds(300));
    absl::MutexLock lock(&mu);
    EXPECT_EQ(answered, 0) << "a call was answered before Redis had its write";
  }
  store.AwaitWrites();
  absl::MutexLock lock(&mu);
  ASSERT_EQ(answered, 30);
  for (const absl::Status& saved : results) EXPECT_TRUE(saved.ok()) << saved;
  // The first write went out alone and waited; the other 29 went together.
  EXPECT_LE(store.pipelined_round_trips() - round_trips, 3u);
  for (const tv1::Turn& turn : turns) {
    auto stored = replicas_[1].sessions->Load(turn.session_id());
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(stored->version, 1u);
  }
}

TEST_F(RedisStoreTest, AStaleCopyInsideACallFailsToRunAgainAndSavesNothing) {
  store::RedisSessionStore& store = *replicas_[0].sessions;
  const tv1::Turn turn = Start(replicas_[0]);
  tv1::Turn moved;
  ASSERT_TRUE(Answer(replicas_[1], turn, Default(turn), &moved).ok());  // replica 0's copy is stale
  absl::Status answer = absl::UnknownError("not answered");
  {
    DeferredWrites writes;
    auto stale = store.LoadForUpdate(turn.session_id());
    ASSERT_TRUE(stale.ok()) << stale.status();
    EXPECT_TRUE(stale->maybe_stale);
    EXPECT_EQ(stale->version, 0u);
    ASSERT_TRUE(store.Update(&*stale).ok());
    std::move(writes).WhenSaved([&](absl::Status saved) { answer = saved; });
  }
  store.AwaitWrites();
  EXPECT_TRUE(absl::IsAborted(answer)) << answer;
  EXPECT_TRUE(DeferredWrites::IsRunAgain(answer)) << answer;
  auto stored = store.Load(turn.session_id());
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version, 1u);  // replica 1's answer only
  // The stale copy was dropped: the next answer reads Redis.
  auto fresh = store.LoadForUpdate(turn.session_id());
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->version, 1u);
}

TEST_F(RedisStoreTest, ARecordFollowsTheAnswerThatFinishedItsConversation) {
  // One replica throughout: every answer comes from its cache, deferred.
  tv1::Turn turn = Start(replicas_[0]);
  for (int step = 0; turn.has_question() && step < 20; ++step) {
    ASSERT_TRUE(Answer(replicas_[0], turn, Default(turn), &turn).ok());
  }
  ASSERT_TRUE(turn.has_outcome());
  ASSERT_FALSE(turn.record_id().empty());
  // Acknowledged, so already in Redis.
  auto records = replicas_[1].records->List(absl::UnixEpoch(), 0);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].record_id(), turn.record_id());
  EXPECT_EQ((*records)[0].level(), tv1::LEVEL_SELF_CARE);
}

TEST_F(RedisStoreTest, AFinishingAnswerOnAStaleCopyWritesNoRecord) {
  // Replica 0 finishes a conversation (one record), then goes back to its
  // last question.
  tv1::Turn turn = Start(replicas_[0]);
  for (int step = 0; turn.has_question() && step < 20; ++step) {
    ASSERT_TRUE(Answer(replicas_[0], turn, Default(turn), &turn).ok());
  }
  ASSERT_TRUE(turn.has_outcome());
  auto go_back = [&](Replica& replica) {
    grpc::ClientContext context;
    tv1::GoBackRequest back;
    back.set_session_id(turn.session_id());
    tv1::GoBackResponse went_back;
    EXPECT_TRUE(replica.stub->GoBack(&context, back, &went_back).ok());
    return went_back.turn();
  };
  const tv1::Turn last = go_back(replicas_[0]);
  ASSERT_TRUE(last.has_question());
  // Replica 1 goes back once more: replica 0's copy is now stale, and the
  // last question's answer still fits it and would finish it.
  go_back(replicas_[1]);
  tv1::Turn unused;
  const grpc::Status refused = Answer(replicas_[0], last, Default(last), &unused);
  // Answered on the stored session, where that is not the current question.
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << refused.error_message();
  auto records = replicas_[0].records->List(absl::UnixEpoch(), 0);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(records->size(), 1u) << "a record of an answer that was not saved";
}

TEST_F(RedisStoreTest, AFullStoreRefusesNewSessions) {
  for (int i = 0; i < 50; ++i) Start(replicas_[i % 2]);
  grpc::ClientContext context;
  tv1::StartSessionResponse response;
  const grpc::Status full = replicas_[0].stub->StartSession(&context, {}, &response);
  EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(RedisStoreTest, RecordsAreSharedKeptInOrderAndDeletedByAge) {
  records::RedisRecordStore writer({"127.0.0.1", port_});
  records::RedisRecordStore reader({"127.0.0.1", port_});
  for (int i = 0; i < 4; ++i) {
    admin::v1::TriageRecord record;
    record.set_record_id(absl::StrCat("r", i));
    record.set_finished_unix_micros(1000 * (4 - i));  // Written newest first.
    ASSERT_TRUE(writer.Append(record).ok());
  }
  auto listed = reader.List(absl::FromUnixMicros(2000), 0);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].record_id(), "r2");  // Oldest first.
  EXPECT_EQ(*reader.DeleteFinishedBefore(absl::FromUnixMicros(3000)), 2);
  EXPECT_EQ(reader.List(absl::UnixEpoch(), 0)->size(), 2u);
}

}  // namespace
}  // namespace backchat::testing
