#include "service/api/store_workers.h"

#include <atomic>
#include <thread>

#include "gtest/gtest.h"

namespace backchat::api {
namespace {

TEST(StoreWorkersTest, WorkRunsOnTheWorkersUntilDrainedAndAtOnceAfter) {
  StoreWorkers workers(2);
  std::atomic<int> ran{0};
  std::atomic<bool> elsewhere{true};
  const std::thread::id caller = std::this_thread::get_id();
  for (int i = 0; i < 20; ++i) {
    workers.Run([&] {
      if (std::this_thread::get_id() == caller) elsewhere = false;
      ++ran;
    });
  }
  workers.Drain();  // runs what was handed over
  EXPECT_EQ(ran.load(), 20);
  EXPECT_TRUE(elsewhere.load());
  // Handed over after the threads ended (a store's writer asking for a
  // second run during shutdown): it still runs, here.
  bool here = false;
  workers.Run([&] { here = std::this_thread::get_id() == caller; });
  EXPECT_TRUE(here);
}

}  // namespace
}  // namespace backchat::api
