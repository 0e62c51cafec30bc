// The dashboard's counts on every store: memory, SQLite (a file) and Redis
// (a real redis-server on a loopback port, started here). Each store must
// add deltas per key, read a range of days, and forget old days.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/records/batched_outcome_counts.h"
#include "service/records/outcome_count_stores.h"
#include "tests/support/server_process.h"

namespace backchat::records {
namespace {

using testing::FreeLoopbackPort;
using testing::ServerProcess;

enum class Kind { kMemory, kSqlite, kRedis };

std::string KindName(const ::testing::TestParamInfo<Kind>& info) {
  return info.param == Kind::kMemory ? "Memory" : info.param == Kind::kSqlite ? "Sqlite" : "Redis";
}

Count Delta(int32_t day, std::string name, std::string item, int64_t value,
            std::string language = "en") {
  Count count;
  count.key.day = day;
  count.key.dialog_id = "back_pain";
  count.key.dialog_version = "v1abc";
  count.key.channel = 1;
  count.key.language = std::move(language);
  count.key.name = std::move(name);
  count.key.item = std::move(item);
  count.value = value;
  return count;
}

// The counts read, as "day/language/name/item" -> value, zeros left out.
std::map<std::string, int64_t> AsMap(const std::vector<Count>& counts) {
  std::map<std::string, int64_t> out;
  for (const Count& count : counts) {
    if (count.value == 0) continue;
    out[absl::StrCat(count.key.day, "/", count.key.language, "/", count.key.name, "/",
                     count.key.item)] += count.value;
    EXPECT_EQ(count.key.dialog_id, "back_pain");
    EXPECT_EQ(count.key.dialog_version, "v1abc");
    EXPECT_EQ(count.key.channel, 1);
  }
  return out;
}

class OutcomeCountsTest : public ::testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/counts_", getpid(), "_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    switch (GetParam()) {
      case Kind::kMemory:
        counts_ = std::make_unique<MemoryOutcomeCounts>();
        break;
      case Kind::kSqlite: {
        auto opened = SqliteOutcomeCounts::Open(dir_ + "/counts.db");
        ASSERT_TRUE(opened.ok()) << opened.status();
        counts_ = *std::move(opened);
        break;
      }
      case Kind::kRedis: {
        const int port = FreeLoopbackPort();
        auto redis = ServerProcess::StartProgram(
            {"/usr/bin/redis-server", "--port", absl::StrCat(port), "--bind", "127.0.0.1",
             "--dir", dir_, "--save", "", "--appendonly", "no"},
            "Ready to accept connections");
        ASSERT_TRUE(redis.ok()) << redis.status();
        redis_ = *std::move(redis);
        store::RedisAddress address;
        address.port = port;
        counts_ = std::make_unique<RedisOutcomeCounts>(address);
        break;
      }
    }
  }

  void TearDown() override {
    counts_.reset();
    redis_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> redis_;
  std::unique_ptr<OutcomeCounts> counts_;
};

TEST_P(OutcomeCountsTest, AddsDeltasPerKeyAndReadsThemBack) {
  ASSERT_TRUE(counts_->Add({Delta(100, "started", "", 1), Delta(100, "at", "injury", 1)}).ok());
  ASSERT_TRUE(counts_->Add({Delta(100, "started", "", 1), Delta(100, "at", "injury", 1),
                            Delta(100, "at", "injury", -1), Delta(100, "at", "duration", 1),
                            Delta(100, "started", "", 1, "es")})
                  .ok());
  auto read = counts_->Read(100, 100);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(AsMap(*read), (std::map<std::string, int64_t>{{"100/en/started/", 2},
                                                          {"100/en/at/injury", 1},
                                                          {"100/en/at/duration", 1},
                                                          {"100/es/started/", 1}}));
}

TEST_P(OutcomeCountsTest, ACountBackToZeroReadsAsNothing) {
  ASSERT_TRUE(counts_->Add({Delta(7, "finished", "", 1)}).ok());
  ASSERT_TRUE(counts_->Add({Delta(7, "finished", "", -1)}).ok());
  auto read = counts_->Read(0, 10);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(AsMap(*read).empty());
}

TEST_P(OutcomeCountsTest, ReadsOnlyTheDaysAsked) {
  ASSERT_TRUE(counts_->Add({Delta(99, "started", "", 1), Delta(100, "started", "", 2),
                            Delta(101, "started", "", 3), Delta(102, "started", "", 4)})
                  .ok());
  auto read = counts_->Read(100, 101);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(AsMap(*read),
            (std::map<std::string, int64_t>{{"100/en/started/", 2}, {"101/en/started/", 3}}));
}

TEST_P(OutcomeCountsTest, DeleteDaysBeforeForgetsOnlyOlderDays) {
  ASSERT_TRUE(counts_->Add({Delta(10, "started", "", 1), Delta(10, "outcome", "URGENT", 1),
                            Delta(11, "started", "", 1), Delta(12, "started", "", 1)})
                  .ok());
  auto gone = counts_->DeleteDaysBefore(12);
  ASSERT_TRUE(gone.ok()) << gone.status();
  EXPECT_EQ(*gone, 3);
  auto read = counts_->Read(0, 100);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(AsMap(*read), (std::map<std::string, int64_t>{{"12/en/started/", 1}}));
}

INSTANTIATE_TEST_SUITE_P(EveryStore, OutcomeCountsTest,
                         ::testing::Values(Kind::kMemory, Kind::kSqlite, Kind::kRedis), KindName);

TEST(OutcomeCountsSqliteTest, CountsAreKeptInTheFile) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/counts_reopen_", getpid(), ".db");
  std::filesystem::remove(path);
  {
    auto counts = SqliteOutcomeCounts::Open(path);
    ASSERT_TRUE(counts.ok()) << counts.status();
    ASSERT_TRUE((*counts)->Add({Delta(5, "started", "", 4)}).ok());
  }
  auto again = SqliteOutcomeCounts::Open(path);
  ASSERT_TRUE(again.ok()) << again.status();
  auto read = (*again)->Read(5, 5);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(AsMap(*read), (std::map<std::string, int64_t>{{"5/en/started/", 4}}));
  std::filesystem::remove(path);
}

// A store that counts its writes and can be told to fail.
class CountingStore final : public OutcomeCounts {
 public:
  absl::Status Add(const std::vector<Count>& deltas) override {
    ++adds;
    if (fail) return absl::UnavailableError("disk full");
    return memory.Add(deltas);
  }
  absl::StatusOr<std::vector<Count>> Read(int32_t first, int32_t last) override {
    return memory.Read(first, last);
  }
  absl::StatusOr<int64_t> DeleteDaysBefore(int32_t day) override {
    return memory.DeleteDaysBefore(day);
  }
  MemoryOutcomeCounts memory;
  int adds = 0;
  bool fail = false;
};

TEST(BatchedOutcomeCountsTest, ManyTurnsBecomeOneWriteAndReportsAreExact) {
  CountingStore store;
  BatchedOutcomeCounts batched(&store, absl::Hours(1));  // no timed flush here
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(batched.Add({Delta(100, "at", "injury", 1), Delta(100, "at", "injury", -1),
                             Delta(100, "reached", "injury", 1)})
                    .ok());
  }
  EXPECT_EQ(store.adds, 0);  // a turn's count touches no store
  auto read = batched.Read(100, 100);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(store.adds, 1);
  EXPECT_EQ(AsMap(*read), (std::map<std::string, int64_t>{{"100/en/reached/injury", 100}}));
}

TEST(BatchedOutcomeCountsTest, AFailedWriteKeepsTheCountsForTheNextOne) {
  CountingStore store;
  {
    BatchedOutcomeCounts batched(&store, absl::Hours(1));
    ASSERT_TRUE(batched.Add({Delta(100, "started", "", 2)}).ok());
    store.fail = true;
    EXPECT_FALSE(batched.Flush().ok());
    ASSERT_TRUE(batched.Add({Delta(100, "started", "", 1)}).ok());
    store.fail = false;
  }  // the destructor writes what is left
  auto read = store.Read(100, 100);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(AsMap(*read), (std::map<std::string, int64_t>{{"100/en/started/", 3}}));
}

TEST(BatchedOutcomeCountsTest, TheBackgroundThreadWritesWithoutBeingAsked) {
  CountingStore store;
  BatchedOutcomeCounts batched(&store, absl::Milliseconds(20));
  ASSERT_TRUE(batched.Add({Delta(100, "started", "", 1)}).ok());
  // Bounded wait: up to 5 s for a 20 ms interval.
  for (int i = 0; i < 500 && store.memory.Read(100, 100)->empty(); ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(AsMap(*store.memory.Read(100, 100)),
            (std::map<std::string, int64_t>{{"100/en/started/", 1}}));
}

TEST(DayOfTest, CountsWholeUtcDaysFromTheEpoch) {
  EXPECT_EQ(DayOf(absl::FromUnixSeconds(0)), 0);
  EXPECT_EQ(DayOf(absl::FromUnixSeconds(86399)), 0);
  EXPECT_EQ(DayOf(absl::FromUnixSeconds(86400)), 1);
  EXPECT_EQ(DayOf(absl::FromUnixSeconds(-1)), -1);
}

}  // namespace
}  // namespace backchat::records
