#include "service/common/deferred_writes.h"

#include <memory>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace backchat {
namespace {

TEST(DeferredWritesTest, OutsideACallAStoreWaitsForItsWrite) {
  auto outcome = std::make_shared<WriteOutcome>();
  std::thread saver([outcome] { outcome->Complete(absl::UnavailableError("disk full")); });
  EXPECT_EQ(DeferredWrites::Await(outcome).code(), absl::StatusCode::kUnavailable);
  saver.join();
}

TEST(DeferredWritesTest, ACallIsAnsweredOnceEveryWriteIsSavedWithTheFirstFailure) {
  auto saved = std::make_shared<WriteOutcome>();
  auto failed = std::make_shared<WriteOutcome>();
  auto later = std::make_shared<WriteOutcome>();
  absl::Status answer = absl::UnknownError("not answered");
  int answers = 0;
  {
    DeferredWrites writes;
    EXPECT_TRUE(DeferredWrites::Await(saved).ok());  // at once, inside the call
    EXPECT_TRUE(DeferredWrites::Await(failed).ok());
    EXPECT_TRUE(DeferredWrites::Await(later).ok());
    std::move(writes).WhenSaved([&](absl::Status status) {
      answer = status;
      ++answers;
    });
  }
  saved->Complete(absl::OkStatus());
  failed->Complete(absl::UnavailableError("disk full"));
  EXPECT_EQ(answers, 0);
  later->Complete(absl::AbortedError("moved on"));
  EXPECT_EQ(answers, 1);
  EXPECT_EQ(answer.code(), absl::StatusCode::kUnavailable) << answer;

  // The scope is closed: a store outside one waits again.
  auto next = std::make_shared<WriteOutcome>();
  next->Complete(absl::OkStatus());
  EXPECT_TRUE(DeferredWrites::Await(next).ok());
}

TEST(DeferredWritesTest, ACallWithNothingPendingIsAnsweredAtOnce) {
  auto done = std::make_shared<WriteOutcome>();
  done->Complete(absl::OkStatus());
  bool answered = false;
  {
    DeferredWrites writes;
    EXPECT_TRUE(DeferredWrites::Await(done).ok());
    std::move(writes).WhenSaved([&](absl::Status status) {
      EXPECT_TRUE(status.ok());
      answered = true;
    });
  }
  EXPECT_TRUE(answered);
  bool empty_answered = false;
  {
    DeferredWrites writes;
    std::move(writes).WhenSaved([&](absl::Status status) { empty_answered = status.ok(); });
  }
  EXPECT_TRUE(empty_answered);
}

TEST(DeferredWritesTest, EffectsRunOnceTheCallsWritesAreSavedAndNeverAfterAFailure) {
  int counted = 0;
  DeferredWrites::AfterSaved([&] { ++counted; });  // outside a scope: at once
  EXPECT_EQ(counted, 1);
  for (const bool saves : {true, false}) {
    auto outcome = std::make_shared<WriteOutcome>();
    counted = 0;
    absl::Status answer = absl::UnknownError("not answered");
    {
      DeferredWrites writes;
      EXPECT_TRUE(DeferredWrites::Await(outcome).ok());
      DeferredWrites::AfterSaved([&] { ++counted; });
      std::move(writes).WhenSaved([&](absl::Status saved) {
        EXPECT_EQ(counted, saves ? 1 : 0) << "effects run before the answer";
        answer = saved;
      });
    }
    EXPECT_EQ(counted, 0);
    outcome->Complete(saves ? absl::OkStatus() : absl::UnavailableError("disk full"));
    EXPECT_EQ(counted, saves ? 1 : 0);
    EXPECT_EQ(answer.ok(), saves) << answer;
  }
}

TEST(DeferredWritesTest, AWriteCanFollowTheWritesKeptBeforeIt) {
  absl::Status followed = absl::UnknownError("not run");
  DeferredWrites::WhenKeptSaved([&](absl::Status saved) { followed = saved; });
  EXPECT_TRUE(followed.ok()) << "outside a scope everything was waited for";
  for (const bool saves : {true, false}) {
    auto earlier = std::make_shared<WriteOutcome>();
    auto later = std::make_shared<WriteOutcome>();
    followed = absl::UnknownError("not run");
    DeferredWrites writes;
    EXPECT_TRUE(DeferredWrites::Await(earlier).ok());
    DeferredWrites::WhenKeptSaved([&](absl::Status saved) { followed = saved; });
    EXPECT_TRUE(DeferredWrites::Await(later).ok());  // not waited for by the above
    std::move(writes).WhenSaved([](absl::Status) {});
    later->Complete(absl::OkStatus());
    EXPECT_EQ(followed.code(), absl::StatusCode::kUnknown);
    earlier->Complete(saves ? absl::OkStatus() : absl::UnavailableError("disk full"));
    EXPECT_EQ(followed.ok(), saves) << followed;
  }
}

TEST(DeferredWritesTest, RunAgainMarksAStatusAndKeepsItsCodeAndMessage) {
  const absl::Status marked = DeferredWrites::RunAgain(absl::AbortedError("stale copy"));
  EXPECT_TRUE(DeferredWrites::IsRunAgain(marked));
  EXPECT_EQ(marked.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(marked.message(), "stale copy");
  EXPECT_FALSE(DeferredWrites::IsRunAgain(absl::AbortedError("stale copy")));
  EXPECT_FALSE(DeferredWrites::Active());
  DeferredWrites writes;
  EXPECT_TRUE(DeferredWrites::Active());
  std::move(writes).WhenSaved([](absl::Status) {});
  EXPECT_FALSE(DeferredWrites::Active());
}

}  // namespace
}  // namespace backchat
