// The SessionStore contract, checked on every backend; then what only the
// durable stores promise.
#include <sqlite3.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "service/common/deferred_writes.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/store/memory_session_store.h"
#include "service/store/session_codec.h"
#include "service/common/sqlite/sqlite_database.h"
#include "service/common/sqlite/sqlite_statement.h"
#include "service/store/sqlite_session_store.h"

namespace backchat::store {
namespace {

class FakeClock {
 public:
  void Advance(absl::Duration d) { now_ += d; }
  std::function<absl::Time()> AsFunction() {
    return [this] { return now_; };
  }

 private:
  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
};

const engine::DialogRegistry& Dialogs() {
  static const auto* registry = [] {
    auto r = engine::DialogRegistry::LoadDirectory(
        absl::StrCat(BACKCHAT_SOURCE_DIR, "/dialogs"), "back_pain");
    if (!r.ok()) std::abort();
    return r->release();
  }();
  return *registry;
}

Session NewSession(const std::string& id, const std::string& locale = "en") {
  Session session;
  session.id = id;
  session.dialog = (*Dialogs().Find("back_pain"))->ForLocale(locale).dialog;
  session.channel = triage::v1::CHANNEL_WEB;
  session.state = engine::NewSessionState(*session.dialog);
  session.created = session.updated = absl::FromUnixSeconds(1'700'000'000);
  return session;
}

std::string Id(int n) { return absl::StrCat(std::string(31 - std::to_string(n).size() + 1, '0'), n); }

enum class Kind { kMemory, kSqlite };

class SessionStoreContractTest : public ::testing::TestWithParam<Kind> {
 protected:
  std::unique_ptr<SessionStore> Open(size_t max_sessions = 1000) {
    if (GetParam() == Kind::kMemory) {
      return std::make_unique<MemorySessionStore>(
          MemoryStoreOptions{absl::Minutes(30), max_sessions, clock_.AsFunction()});
    }
    SqliteStoreOptions options;
    options.path = path_;
    options.max_sessions = max_sessions;
    options.cleanup_interval = absl::ZeroDuration();
    options.clock = clock_.AsFunction();
    auto store = SqliteSessionStore::Open(options, &codec_);
    if (!store.ok()) {
      ADD_FAILURE() << store.status();
      std::abort();
    }
    return std::move(*store);
  }
  void SetUp() override { std::filesystem::remove(path_); }
  void TearDown() override { std::filesystem::remove(path_); }

  FakeClock clock_;
  SessionCodec codec_{&Dialogs()};
  // Test names of parameterized tests contain "/": one file per test.
  const std::string path_ = absl::StrCat(
      ::testing::TempDir(), "/contract_",
      absl::StrReplaceAll(::testing::UnitTest::GetInstance()->current_test_info()->name(),
                          {{"/", "_"}}),
      "_", getpid(), ".db");
};

TEST_P(SessionStoreContractTest, KeepsAnswersLocaleAndChannel) {
  auto store = Open();
  Session session = NewSession(Id(1), "es");
  session.requested_locale = "es-MX";
  ASSERT_TRUE(store->Create(session).ok());
  auto loaded = store->Load(Id(1));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  loaded->state.answers[0] = 0b1000000;  // warning_signs = none
  loaded->state.answers[1] = 0b1;        // injury = no_injury
  ASSERT_TRUE(store->Update(&*loaded).ok());
  auto again = store->Load(Id(1));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->state, loaded->state);
  EXPECT_EQ(again->dialog->locale, "es");
  EXPECT_EQ(again->requested_locale, "es-MX");
  EXPECT_EQ(again->channel, triage::v1::CHANNEL_WEB);
  EXPECT_EQ(again->version, 1u);
}

TEST_P(SessionStoreContractTest, KeepsAReadingThatWaitsForConfirmation) {
  auto store = Open();
  ASSERT_TRUE(store->Create(NewSession(Id(1))).ok());
  auto loaded = store->Load(Id(1));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->pending_question, -1);
  loaded->pending_question = 0;         // warning_signs
  loaded->pending_options = 0b0000011;  // both_legs + saddle_numbness
  ASSERT_TRUE(store->Update(&*loaded).ok());
  auto again = store->Load(Id(1));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->pending_question, 0);
  EXPECT_EQ(again->pending_options, 0b0000011u);
}

TEST_P(SessionStoreContractTest, UnknownSessionIsNotFound) {
  auto store = Open();
  EXPECT_EQ(store->Load(Id(9)).status().code(), absl::StatusCode::kNotFound);
  Session ghost = NewSession(Id(9));
  EXPECT_EQ(store->Update(&ghost).code(), absl::StatusCode::kNotFound);
}

TEST_P(SessionStoreContractTest, OnlyOneOfTwoConcurrentUpdatesApplies) {
  auto store = Open();
  ASSERT_TRUE(store->Create(NewSession(Id(2))).ok());
  Session first = *store->Load(Id(2));
  Session second = *store->Load(Id(2));
  first.state.answers[0] = 0b1;
  second.state.answers[0] = 0b10;
  ASSERT_TRUE(store->Update(&first).ok());
  const absl::Status lost = store->Update(&second);
  EXPECT_EQ(lost.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store->Load(Id(2))->state.answers[0], 0b1u);
}

TEST_P(SessionStoreContractTest, IdleSessionsExpire) {
  auto store = Open();
  ASSERT_TRUE(store->Create(NewSession(Id(3))).ok());
  clock_.Advance(absl::Minutes(29));
  ASSERT_TRUE(store->Load(Id(3)).ok());
  clock_.Advance(absl::Minutes(29));
  ASSERT_TRUE(store->Load(Id(3)).ok());  // Use keeps it alive.
  clock_.Advance(absl::Minutes(31));
  EXPECT_EQ(store->Load(Id(3)).status().code(), absl::StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Stores, SessionStoreContractTest,
                         ::testing::Values(Kind::kMemory, Kind::kSqlite),
                         [](const auto& info) {
                           return info.param == Kind::kMemory ? "memory" : "sqlite";
                         });

class SqliteSessionStoreTest : public SessionStoreContractTest {};

TEST_P(SqliteSessionStoreTest, SessionsSurviveReopening) {
  {
    auto store = Open();
    Session session = NewSession(Id(4));
    ASSERT_TRUE(store->Create(session).ok());
    session.state.answers[0] = 0b1000000;
    ASSERT_TRUE(store->Update(&session).ok());
  }
  auto reopened = Open();
  auto loaded = reopened->Load(Id(4));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->state.answers[0], 0b1000000u);
  EXPECT_EQ(loaded->version, 1u);
}

TEST_P(SqliteSessionStoreTest, FullStoreRefusesNewSessionsAndEvictsNothing) {
  auto store = Open(/*max_sessions=*/2);
  ASSERT_TRUE(store->Create(NewSession(Id(5))).ok());
  ASSERT_TRUE(store->Create(NewSession(Id(6))).ok());
  const absl::Status full = store->Create(NewSession(Id(7)));
  EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(store->Load(Id(5)).ok());
  EXPECT_TRUE(store->Load(Id(6)).ok());
}

TEST_P(SqliteSessionStoreTest, ExpiredSessionsAreDeletedInBatches) {
  SqliteStoreOptions options;
  options.path = path_;
  options.cleanup_interval = absl::ZeroDuration();
  options.clock = clock_.AsFunction();
  auto store = SqliteSessionStore::Open(options, &codec_);
  ASSERT_TRUE(store.ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE((*store)->Create(NewSession(Id(10 + i))).ok());
  clock_.Advance(absl::Hours(1));
  ASSERT_TRUE((*store)->Create(NewSession(Id(20))).ok());
  EXPECT_EQ(*(*store)->DeleteExpired(3), 3);
  EXPECT_EQ(*(*store)->DeleteExpired(3), 2);
  EXPECT_EQ(*(*store)->DeleteExpired(3), 0);
  EXPECT_EQ((*store)->size(), 1u);
  EXPECT_TRUE((*store)->Load(Id(20)).ok());
}

TEST_P(SqliteSessionStoreTest, UnwritablePathIsUnavailable) {
  SqliteStoreOptions options;
  options.path = "/nonexistent/dir/sessions.db";
  auto store = SqliteSessionStore::Open(options, &codec_);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(store.status().message().find("/nonexistent/dir/sessions.db"),
            absl::string_view::npos);
}

// Writes failing (as on a full disk; here the connection made read-only):
// every read still succeeds, idle refreshes included, the store reports
// itself unhealthy, and healthy again once writes succeed.
TEST_P(SqliteSessionStoreTest, ReadsNeedNoWriteAndPingFailsWhileWritesFail) {
  SqliteStoreOptions options;
  options.path = path_;
  options.cleanup_interval = absl::ZeroDuration();
  options.clock = clock_.AsFunction();
  auto opened = SqliteSessionStore::Open(options, &codec_);
  ASSERT_TRUE(opened.ok()) << opened.status();
  SqliteSessionStore& store = **opened;
  auto database = SqliteDatabase::Shared(path_, false);
  ASSERT_TRUE(database.ok());
  auto set_writable = [&](bool writable) {
    absl::MutexLock lock(&(*database)->mutex());
    ASSERT_EQ(sqlite3_exec((*database)->connection(),
                           writable ? "PRAGMA query_only = OFF" : "PRAGMA query_only = ON",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
  };
  Session session = NewSession(Id(40));
  ASSERT_TRUE(store.Create(session).ok());
  ASSERT_TRUE(store.Ping().ok());

  set_writable(false);
  clock_.Advance(absl::Minutes(20));  // A read now refreshes the idle time.
  auto loaded = store.Load(Id(40));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(store.Update(&*loaded).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(store.Ping().code(), absl::StatusCode::kUnavailable);
  // The refresh is kept until it can be written: 20 + 20 minutes after the
  // last write, but 20 after the last read, the session is alive...
  clock_.Advance(absl::Minutes(20));
  EXPECT_TRUE(store.Load(Id(40)).ok());
  // ... and the expiry sweep deletes nothing it could not first refresh.
  EXPECT_FALSE(store.DeleteExpired(10).ok());

  set_writable(true);
  EXPECT_TRUE(store.Ping().ok());
  EXPECT_EQ(*store.DeleteExpired(10), 0);
  EXPECT_TRUE(store.Load(Id(40)).ok());
  clock_.Advance(absl::Minutes(31));
  EXPECT_EQ(*store.DeleteExpired(10), 1);
}

TEST_P(SqliteSessionStoreTest, WritesArrivingTogetherShareACommitAndConflictsStillAbort) {
  auto opened = Open();
  auto* store = static_cast<SqliteSessionStore*>(opened.get());
  constexpr int kSessions = 8;
  constexpr int kThreads = 16;  // two per session: their updates conflict
  constexpr int kRounds = 40;
  for (int s = 0; s < kSessions; ++s) ASSERT_TRUE(store->Create(NewSession(Id(s))).ok());
  const uint64_t commits_before = store->commits();
  std::atomic<int> applied[kSessions] = {};
  std::atomic<int> aborted{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const int s = t % kSessions;
      for (int round = 0; round < kRounds; ++round) {
        auto session = store->Load(Id(s));
        if (!session.ok()) {
          ++failed;
          continue;
        }
        session->state.answers[0] = static_cast<engine::OptionMask>(1 + (round % 3));
        const absl::Status updated = store->Update(&*session);
        if (updated.ok()) {
          ++applied[s];
        } else if (absl::IsAborted(updated)) {
          ++aborted;
        } else {
          ++failed;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  int writes = 0;
  for (int s = 0; s < kSessions; ++s) {
    // Every acknowledged update, and only those, moved the version on.
    auto session = store->Load(Id(s));
    ASSERT_TRUE(session.ok()) << session.status();
    EXPECT_EQ(session->version, static_cast<uint64_t>(applied[s].load())) << "session " << s;
    EXPECT_GT(applied[s].load(), 0);
    writes += applied[s].load();
  }
  writes += aborted.load();
  EXPECT_EQ(writes, kThreads * kRounds);
  // Sixteen writers at once: commits carried several writes each.
  EXPECT_LT(store->commits() - commits_before, static_cast<uint64_t>(writes));
  // And what was acknowledged is in the file.
  opened.reset();
  auto reopened = Open();
  for (int s = 0; s < kSessions; ++s) {
    EXPECT_EQ(reopened->Load(Id(s))->version, static_cast<uint64_t>(applied[s].load()));
  }
}

TEST_P(SqliteSessionStoreTest, ReadsComeFromMemoryAndAlwaysAgreeWithTheFile) {
  auto opened = Open();
  auto* store = static_cast<SqliteSessionStore*>(opened.get());
  ASSERT_TRUE(store->Create(NewSession(Id(50))).ok());
  ASSERT_TRUE(store->Create(NewSession(Id(51))).ok());
  Session session = *store->Load(Id(50));
  session.state.answers[0] = 0b1;
  ASSERT_TRUE(store->Update(&session).ok());

  // A read of a session just written needs neither the file nor its lock:
  // it returns while another thread holds the lock.
  auto database = SqliteDatabase::Shared(path_, false);
  ASSERT_TRUE(database.ok());
  absl::Notification locked, read;
  bool read_waited_for_the_lock = false;
  std::thread holder([&] {
    absl::MutexLock lock(&(*database)->mutex());
    locked.Notify();
    read_waited_for_the_lock = !read.WaitForNotificationWithTimeout(absl::Seconds(5));
  });
  locked.WaitForNotification();
  auto cached = store->Load(Id(50));
  read.Notify();
  holder.join();
  EXPECT_FALSE(read_waited_for_the_lock);
  ASSERT_TRUE(cached.ok()) << cached.status();
  EXPECT_EQ(cached->version, 1u);
  EXPECT_EQ(cached->state.answers[0], 0b1u);

  // A write that fails leaves the cache as the file is.
  {
    absl::MutexLock lock(&(*database)->mutex());
    ASSERT_EQ(sqlite3_exec((*database)->connection(), "PRAGMA query_only = ON", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
  }
  Session failing = *store->Load(Id(50));
  failing.state.answers[0] = 0b10;
  EXPECT_EQ(store->Update(&failing).code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(store->Load(Id(50))->state.answers[0], 0b1u);
  {
    absl::MutexLock lock(&(*database)->mutex());
    ASSERT_EQ(sqlite3_exec((*database)->connection(), "PRAGMA query_only = OFF", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
  }

  // Deleted and expired sessions are gone from memory too.
  ASSERT_TRUE(store->Delete(Id(51)).ok());
  EXPECT_EQ(store->Load(Id(51)).status().code(), absl::StatusCode::kNotFound);
  clock_.Advance(absl::Minutes(31));
  EXPECT_EQ(*store->DeleteExpired(10), 1);
  EXPECT_EQ(store->Load(Id(50)).status().code(), absl::StatusCode::kNotFound);

  // What the reads returned is what the file holds.
  ASSERT_TRUE(store->Create(NewSession(Id(52))).ok());
  Session kept = *store->Load(Id(52));
  kept.state.answers[1] = 0b1;
  ASSERT_TRUE(store->Update(&kept).ok());
  const Session before = *store->Load(Id(52));
  database->reset();
  opened.reset();
  auto reopened = Open();
  auto from_file = reopened->Load(Id(52));
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  EXPECT_EQ(from_file->version, before.version);
  EXPECT_EQ(from_file->state, before.state);
}

TEST_P(SqliteSessionStoreTest, AnAnswerRefreshesTheIdleTimeInTheFileOnlyEveryHalfMinute) {
  auto opened = Open();
  ASSERT_TRUE(opened->Create(NewSession(Id(80))).ok());
  const absl::Time created = clock_.AsFunction()();
  auto answer = [&] {
    Session session = *opened->Load(Id(80));
    session.state.answers[0] ^= 0b1;
    return opened->Update(&session);
  };
  auto last_used_in_file = [&] {
    auto database = SqliteDatabase::Shared(path_, false);
    absl::MutexLock lock(&(*database)->mutex());
    sqlite3_stmt* select = nullptr;
    sqlite3_prepare_v2((*database)->connection(),
                       "SELECT last_used_micros FROM sessions WHERE id = ?1", -1, &select, nullptr);
    const std::string id = Id(80);
    sqlite3_bind_text(select, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    const absl::Time used = sqlite3_step(select) == SQLITE_ROW
                                ? absl::FromUnixMicros(sqlite3_column_int64(select, 0))
                                : absl::InfinitePast();
    sqlite3_finalize(select);
    return used;
  };
  clock_.Advance(absl::Seconds(10));
  ASSERT_TRUE(answer().ok());
  EXPECT_EQ(last_used_in_file(), created);  // the row's data only
  clock_.Advance(absl::Seconds(25));
  ASSERT_TRUE(answer().ok());
  EXPECT_EQ(last_used_in_file(), created + absl::Seconds(35));
  // Idle time counts from that refresh: 30 minutes later the session is
  // gone, from memory and from the file.
  clock_.Advance(absl::Minutes(29) + absl::Seconds(59));
  EXPECT_TRUE(opened->Load(Id(80)).ok());
  EXPECT_EQ(last_used_in_file(), created + absl::Seconds(35));  // a read's refresh waits
  clock_.Advance(absl::Minutes(31));
  EXPECT_EQ(opened->Load(Id(80)).status().code(), absl::StatusCode::kNotFound);
}

// A file written before rows were kept in creation order (keyed by the
// session id, WITHOUT ROWID) is converted when the store opens it, and
// every session in it goes on from where it was.
TEST_P(SqliteSessionStoreTest, AnOlderFileKeyedByIdIsConvertedAndKeepsItsSessions) {
  Session older = NewSession(Id(91));
  older.state.answers[0] = 0b1000000;
  older.version = 3;
  const Session newer = NewSession(Id(90));  // sorts first by id
  const int64_t now_micros = absl::ToUnixMicros(clock_.AsFunction()());
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "PRAGMA journal_mode=WAL; "
                           "CREATE TABLE sessions (id TEXT PRIMARY KEY, version INTEGER NOT "
                           "NULL, last_used_micros INTEGER NOT NULL, data BLOB NOT NULL) "
                           "WITHOUT ROWID; "
                           "CREATE INDEX sessions_by_last_used ON sessions (last_used_micros);",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_stmt* insert = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "INSERT INTO sessions VALUES (?1, ?2, ?3, ?4)", -1,
                                 &insert, nullptr),
              SQLITE_OK);
    for (const auto& [session, last_used] :
         {std::pair<const Session*, int64_t>{&older, now_micros - 60'000'000},
          std::pair{&newer, now_micros}}) {
      const std::string data = codec_.Encode(*session);
      sqlite3_bind_text(insert, 1, session->id.data(), static_cast<int>(session->id.size()),
                        SQLITE_STATIC);
      sqlite3_bind_int64(insert, 2, static_cast<int64_t>(session->version));
      sqlite3_bind_int64(insert, 3, last_used);
      sqlite3_bind_blob(insert, 4, data.data(), static_cast<int>(data.size()), SQLITE_STATIC);
      ASSERT_EQ(sqlite3_step(insert), SQLITE_DONE);
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    ASSERT_EQ(sqlite3_close(db), SQLITE_OK);
  }

  auto store = Open();
  auto loaded = store->Load(Id(91));
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->version, 3u);
  EXPECT_EQ(loaded->state.answers[0], 0b1000000u);
  EXPECT_TRUE(store->Load(Id(90)).ok());
  loaded->state.answers[1] = 0b1;
  ASSERT_TRUE(store->Update(&*loaded).ok());

  // One column of every row of `sql`, in order.
  auto column = [&](const char* sql) {
    auto database = SqliteDatabase::Shared(path_, false);
    absl::MutexLock lock(&(*database)->mutex());
    SqliteStatement statement(**database, sql);
    std::vector<std::string> values;
    while (*statement.Step()) values.push_back(statement.ColumnText(0));
    return values;
  };
  // Oldest first, whatever the ids; the old table is gone, the index back.
  EXPECT_EQ(column("SELECT id FROM sessions ORDER BY seq"),
            (std::vector<std::string>{Id(91), Id(90)}));
  EXPECT_EQ(column("SELECT name FROM sqlite_master WHERE tbl_name LIKE 'sessions%' "
                   "ORDER BY name"),
            (std::vector<std::string>{"sessions", "sessions_by_last_used",
                                      "sqlite_autoindex_sessions_1"}));
  // Expiry still finds them by idle time.
  clock_.Advance(absl::Minutes(31));
  auto* sqlite = static_cast<SqliteSessionStore*>(store.get());
  EXPECT_EQ(*sqlite->DeleteExpired(10), 2);
}

// Waits (bounded) until `done` is notified; false if it never was.
bool Within10s(absl::Notification& done) {
  return done.WaitForNotificationWithTimeout(absl::Seconds(10));
}

TEST_P(SqliteSessionStoreTest, InsideACallWritesReturnAtOnceAndTheCallIsAnsweredOnceSaved) {
  auto opened = Open();
  auto* store = static_cast<SqliteSessionStore*>(opened.get());
  ASSERT_TRUE(store->Create(NewSession(Id(60))).ok());
  auto database = SqliteDatabase::Shared(path_, false);
  ASSERT_TRUE(database.ok());
  absl::Mutex& file_lock = (*database)->mutex();

  // While this test holds the file's lock, nothing can commit.
  file_lock.Lock();
  absl::Status first_status = absl::UnknownError("not answered");
  absl::Notification first_answered;
  {
    DeferredWrites writes;
    Session session = *store->Load(Id(60));
    session.state.answers[0] = 0b1;
    ASSERT_TRUE(store->Update(&session).ok());  // returned without the lock
    std::move(writes).WhenSaved([&](absl::Status saved) {
      first_status = saved;
      first_answered.Notify();
    });
  }
  // A second call reads the unsaved copy: its answer waits for that write.
  absl::Status second_status = absl::UnknownError("not answered");
  absl::Notification second_answered;
  {
    DeferredWrites writes;
    auto read = store->Load(Id(60));
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->version, 1u);
    EXPECT_EQ(read->state.answers[0], 0b1u);
    std::move(writes).WhenSaved([&](absl::Status saved) {
      second_status = saved;
      second_answered.Notify();
    });
  }
  // Fifty more calls' writes meanwhile.
  constexpr int kCalls = 50;
  const uint64_t commits_before = store->commits();
  std::atomic<int> saved{0};
  absl::Notification all_saved;
  for (int i = 0; i < kCalls; ++i) {
    DeferredWrites writes;
    ASSERT_TRUE(store->Create(NewSession(Id(100 + i))).ok());
    std::move(writes).WhenSaved([&](absl::Status status) {
      EXPECT_TRUE(status.ok()) << status;
      if (++saved == kCalls) all_saved.Notify();
    });
  }
  EXPECT_FALSE(first_answered.HasBeenNotified());
  EXPECT_FALSE(second_answered.HasBeenNotified());
  EXPECT_EQ(saved.load(), 0);
  file_lock.Unlock();

  ASSERT_TRUE(Within10s(first_answered));
  ASSERT_TRUE(Within10s(second_answered));
  ASSERT_TRUE(Within10s(all_saved));
  EXPECT_TRUE(first_status.ok()) << first_status;
  EXPECT_TRUE(second_status.ok()) << second_status;
  // The fifty went to the file together: the update's transaction (if the
  // writer had taken it before this test let go), then one more.
  EXPECT_LE(store->commits() - commits_before, 2u);
  database->reset();
  opened.reset();
  auto reopened = Open();
  EXPECT_EQ(reopened->Load(Id(60))->state.answers[0], 0b1u);
  for (int i = 0; i < kCalls; ++i) EXPECT_TRUE(reopened->Load(Id(100 + i)).ok()) << i;
}

TEST_P(SqliteSessionStoreTest, AFailedSaveFailsTheCallsThatShowItAndLeavesTheFileAsItWas) {
  auto opened = Open();
  auto* store = static_cast<SqliteSessionStore*>(opened.get());
  ASSERT_TRUE(store->Create(NewSession(Id(70))).ok());
  auto database = SqliteDatabase::Shared(path_, false);
  ASSERT_TRUE(database.ok());
  absl::Mutex& file_lock = (*database)->mutex();
  auto set_query_only = [&](bool on) {
    return sqlite3_exec((*database)->connection(),
                        on ? "PRAGMA query_only = ON" : "PRAGMA query_only = OFF", nullptr,
                        nullptr, nullptr) == SQLITE_OK;
  };

  file_lock.Lock();
  ASSERT_TRUE(set_query_only(true));  // every write now fails
  absl::Status statuses[2];
  absl::Notification answered[2];
  for (int call = 0; call < 2; ++call) {
    // The second call builds on the first one's unsaved copy.
    DeferredWrites writes;
    Session session = *store->Load(Id(70));
    EXPECT_EQ(session.version, static_cast<uint64_t>(call));
    session.state.answers[call] = 0b1;
    ASSERT_TRUE(store->Update(&session).ok());
    std::move(writes).WhenSaved([&, call](absl::Status saved) {
      statuses[call] = saved;
      answered[call].Notify();
    });
  }
  file_lock.Unlock();
  ASSERT_TRUE(Within10s(answered[0]));
  ASSERT_TRUE(Within10s(answered[1]));
  for (const absl::Status& status : statuses) {
    EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
    EXPECT_NE(status.message().find("session store"), std::string::npos) << status;
  }
  {
    absl::MutexLock lock(&file_lock);
    ASSERT_TRUE(set_query_only(false));
  }
  // The unsaved copies are gone: reads and updates start from the file.
  Session session = *store->Load(Id(70));
  EXPECT_EQ(session.version, 0u);
  EXPECT_EQ(session.state, NewSession(Id(70)).state);
  session.state.answers[2] = 0b1;
  ASSERT_TRUE(store->Update(&session).ok());
  database->reset();
  opened.reset();
  auto reopened = Open();
  auto from_file = reopened->Load(Id(70));
  ASSERT_TRUE(from_file.ok()) << from_file.status();
  EXPECT_EQ(from_file->version, 1u);
  EXPECT_EQ(from_file->state, session.state);
}

INSTANTIATE_TEST_SUITE_P(Durable, SqliteSessionStoreTest, ::testing::Values(Kind::kSqlite),
                         [](const auto&) { return "sqlite"; });

TEST(SessionCodecTest, AnswersAreKeptByIdAndBadBytesAreDataLoss) {
  SessionCodec codec(&Dialogs());
  Session session = NewSession(Id(30));
  session.state.answers[0] = 0b0100001;  // both_legs + one_limb
  const std::string bytes = codec.Encode(session);
  auto decoded = codec.Decode(bytes, 7);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->state, session.state);
  EXPECT_EQ(decoded->version, 7u);
  EXPECT_EQ(decoded->dialog, session.dialog);
  EXPECT_EQ(codec.Decode("not a session \xff", 1).status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace backchat::store
