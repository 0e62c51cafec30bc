// SessionCache: bounded, keeps the newest version, drops what is idle.
#include "service/store/session_cache.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace backchat::store {
namespace {

Session Versioned(const std::string& id, uint64_t version) {
  Session session;
  session.id = id;
  session.version = version;
  return session;
}

const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);

TEST(SessionCacheTest, KeepsTheNewestVersionOfEachSession) {
  SessionCache cache(10);
  cache.Put(Versioned("a", 3), kStart);
  cache.Put(Versioned("a", 2), kStart + absl::Seconds(1));  // a late, older copy
  auto hit = cache.Find("a");
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->session.version, 3u);
  cache.Put(Versioned("a", 4), kStart + absl::Seconds(2));
  EXPECT_EQ(cache.Find("a")->session.version, 4u);
  EXPECT_EQ(cache.Find("a")->last_used, kStart + absl::Seconds(2));
  cache.Erase("a");
  EXPECT_FALSE(cache.Find("a").has_value());
}

TEST(SessionCacheTest, BeyondItsCapacityDropsTheEntriesUsedLongestAgo) {
  SessionCache cache(16);
  for (int i = 0; i < 100; ++i) {
    cache.Put(Versioned(absl::StrCat("s", i), 0), kStart + absl::Seconds(i));
  }
  EXPECT_LE(cache.size(), 16u);
  EXPECT_GE(cache.size(), 14u);
  EXPECT_TRUE(cache.Find("s99").has_value());
  EXPECT_FALSE(cache.Find("s0").has_value());
  EXPECT_FALSE(cache.Find("s80").has_value());
}

TEST(SessionCacheTest, DropsIdleEntriesAndCachesNothingWithoutCapacity) {
  SessionCache cache(10);
  cache.Put(Versioned("old", 0), kStart);
  cache.Put(Versioned("new", 0), kStart + absl::Minutes(5));
  cache.EraseUsedBefore(kStart + absl::Minutes(1));
  EXPECT_FALSE(cache.Find("old").has_value());
  EXPECT_TRUE(cache.Find("new").has_value());
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);

  SessionCache none(0);
  none.Put(Versioned("a", 0), kStart);
  EXPECT_FALSE(none.Find("a").has_value());
}

}  // namespace
}  // namespace backchat::store
