// The write-ahead log is copied back into the file beside the writer.
#include "service/common/sqlite/wal_checkpointer.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/common/sqlite/sqlite_database.h"

namespace backchat::store {
namespace {

TEST(WalCheckpointerTest, TheLogIsCopiedIntoTheFileWithoutTheWriter) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/wal_", getpid(), ".db");
  std::filesystem::remove(path);
  auto database = SqliteDatabase::Shared(path, false);
  ASSERT_TRUE(database.ok()) << database.status();
  sqlite3* db = (*database)->connection();
  {
    absl::MutexLock lock(&(*database)->mutex());
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t (data BLOB)", nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  const auto file_size = [&] { return std::filesystem::file_size(path); };
  const uintmax_t before = file_size();
  // Twice the checkpoint's threshold in pages, a transaction at a time; the
  // writer itself never checkpoints at this size.
  for (int i = 0; i < 2 * WalCheckpointer::kCheckpointPages; ++i) {
    absl::MutexLock lock(&(*database)->mutex());
    ASSERT_EQ(sqlite3_exec(db, "INSERT INTO t VALUES (zeroblob(4000))", nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  // Bounded: the checkpointer's thread copies the pages into the file.
  for (int tries = 0; tries < 200 && file_size() < before + 1000 * 4000; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(file_size(), before + 1000 * 4000);
  database->reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
}

TEST(WalCheckpointerTest, TheFileIsLockedWhileOpenSoASecondProcessIsRefused) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/lock_", getpid(), ".db");
  std::filesystem::remove(path);
  auto database = SqliteDatabase::Shared(path, false);
  ASSERT_TRUE(database.ok()) << database.status();
  // What a second process's open would meet (flock conflicts between open
  // files, in one process too).
  const int other = open(path.c_str(), O_RDWR);
  ASSERT_GE(other, 0);
  EXPECT_NE(flock(other, LOCK_EX | LOCK_NB), 0);
  database->reset();
  EXPECT_EQ(flock(other, LOCK_EX | LOCK_NB), 0);  // released with the database
  close(other);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace backchat::store
