#include "service/common/batch_worker.h"

#include <vector>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace backchat {
namespace {

TEST(BatchWorkerTest, WhatArrivesWhileABatchIsHandledGoesInTheNextInOrder) {
  absl::Notification first_started;
  absl::Notification release;
  absl::Mutex mu;
  std::vector<std::vector<int>> batches;
  BatchWorker<int> worker([&](std::vector<int>& batch) {
    if (batch.front() == 0) {
      first_started.Notify();
      release.WaitForNotification();
    }
    absl::MutexLock lock(&mu);
    batches.push_back(batch);
  });
  worker.Submit(0);
  first_started.WaitForNotification();
  for (int i = 1; i <= 50; ++i) worker.Submit(i);  // while batch {0} is held
  release.Notify();
  worker.Drain();
  absl::MutexLock lock(&mu);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0], std::vector<int>{0});
  ASSERT_EQ(batches[1].size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(batches[1][i], i + 1);
}

TEST(BatchWorkerTest, StopHandlesWhatWasHandedOverFirst) {
  int handled = 0;
  absl::Notification release;
  BatchWorker<int> worker([&](std::vector<int>& batch) {
    release.WaitForNotification();
    handled += static_cast<int>(batch.size());
  });
  for (int i = 0; i < 10; ++i) worker.Submit(i);
  release.Notify();
  worker.Stop();
  EXPECT_EQ(handled, 10);
  worker.Stop();  // once is enough; again changes nothing
  EXPECT_EQ(handled, 10);
}

}  // namespace
}  // namespace backchat
