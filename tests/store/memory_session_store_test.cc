#include "service/store/memory_session_store.h"

#include "gtest/gtest.h"
#include "service/store/session_id.h"

namespace backchat::store {
namespace {

class FakeClock {
 public:
  absl::Time Now() const { return now_; }
  void Advance(absl::Duration d) { now_ += d; }
  std::function<absl::Time()> AsFunction() {
    return [this] { return now_; };
  }

 private:
  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
};

Session MakeSession(const std::string& id) {
  Session session;
  session.id = id;
  session.state.answers = {0, 0};
  return session;
}

TEST(MemorySessionStoreTest, CreateLoadUpdate) {
  MemorySessionStore store;
  ASSERT_TRUE(store.Create(MakeSession("a")).ok());
  auto loaded = store.Load("a");
  ASSERT_TRUE(loaded.ok());
  loaded->state.answers[0] = 1;
  ASSERT_TRUE(store.Update(&*loaded).ok());
  EXPECT_EQ(loaded->version, 1u);
  EXPECT_EQ(store.Load("a")->state.answers[0], 1u);
  EXPECT_EQ(store.Create(MakeSession("a")).code(), absl::StatusCode::kAlreadyExists);
}

TEST(MemorySessionStoreTest, UnknownIsNotFound) {
  MemorySessionStore store;
  EXPECT_EQ(store.Load("nope").status().code(), absl::StatusCode::kNotFound);
  Session ghost = MakeSession("ghost");
  EXPECT_EQ(store.Update(&ghost).code(), absl::StatusCode::kNotFound);
}

TEST(MemorySessionStoreTest, StaleUpdateIsAborted) {
  MemorySessionStore store;
  ASSERT_TRUE(store.Create(MakeSession("a")).ok());
  Session first = *store.Load("a");
  Session second = *store.Load("a");
  first.state.answers[0] = 1;
  second.state.answers[0] = 2;
  ASSERT_TRUE(store.Update(&first).ok());
  EXPECT_EQ(store.Update(&second).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(store.Load("a")->state.answers[0], 1u);
}

TEST(MemorySessionStoreTest, IdleSessionsExpire) {
  FakeClock clock;
  MemorySessionStore store({absl::Minutes(30), 10, clock.AsFunction()});
  ASSERT_TRUE(store.Create(MakeSession("a")).ok());
  clock.Advance(absl::Minutes(29));
  ASSERT_TRUE(store.Load("a").ok());  // Use resets the idle time.
  clock.Advance(absl::Minutes(29));
  ASSERT_TRUE(store.Load("a").ok());
  clock.Advance(absl::Minutes(31));
  EXPECT_EQ(store.Load("a").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store.size(), 0u);
}

TEST(MemorySessionStoreTest, CapEvictsTheSessionIdleLongest) {
  FakeClock clock;
  MemorySessionStore store({absl::Hours(1), 2, clock.AsFunction()});
  ASSERT_TRUE(store.Create(MakeSession("old")).ok());
  clock.Advance(absl::Seconds(1));
  ASSERT_TRUE(store.Create(MakeSession("mid")).ok());
  clock.Advance(absl::Seconds(1));
  ASSERT_TRUE(store.Load("old").ok());  // "old" is now the most recent.
  ASSERT_TRUE(store.Create(MakeSession("new")).ok());
  EXPECT_EQ(store.size(), 2u);
  EXPECT_TRUE(store.Load("old").ok());
  EXPECT_TRUE(store.Load("new").ok());
  EXPECT_EQ(store.Load("mid").status().code(), absl::StatusCode::kNotFound);
}

TEST(SessionIdTest, IsRandomHexOf128Bits) {
  auto a = NewSessionId();
  auto b = NewSessionId();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_TRUE(IsWellFormedSessionId(*a));
  EXPECT_NE(*a, *b);
  EXPECT_FALSE(IsWellFormedSessionId("ABCDEF0123456789abcdef0123456789"));
  EXPECT_FALSE(IsWellFormedSessionId("abc"));
  EXPECT_FALSE(IsWellFormedSessionId(""));
}

}  // namespace
}  // namespace backchat::store
