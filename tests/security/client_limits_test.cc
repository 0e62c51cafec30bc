#include "service/security/client_limits.h"

#include "gtest/gtest.h"

namespace backchat::security {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1700000000);

TEST(ClientLimiterTest, BurstThenRefillAtTheRate) {
  ClientLimiter limiter({/*calls_per_second=*/2, /*burst=*/4, /*sessions_per_minute=*/0});
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(limiter.Admit("10.0.0.1", false, kStart).allowed) << i;
  const Admission refused = limiter.Admit("10.0.0.1", false, kStart);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, absl::Seconds(1));
  // Another client is not affected.
  EXPECT_TRUE(limiter.Admit("10.0.0.2", false, kStart).allowed);
  // Half a second refills one call at 2 per second.
  EXPECT_TRUE(limiter.Admit("10.0.0.1", false, kStart + absl::Milliseconds(500)).allowed);
  EXPECT_FALSE(limiter.Admit("10.0.0.1", false, kStart + absl::Milliseconds(500)).allowed);
}

TEST(ClientLimiterTest, SessionsPerMinute) {
  ClientLimiter limiter({100, 100, /*sessions_per_minute=*/3});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Admit("10.0.0.1", true, kStart).allowed);
  const Admission refused = limiter.Admit("10.0.0.1", true, kStart + absl::Seconds(20));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, absl::Seconds(40));
  // Other calls still go through; a new minute allows new sessions.
  EXPECT_TRUE(limiter.Admit("10.0.0.1", false, kStart + absl::Seconds(20)).allowed);
  EXPECT_TRUE(limiter.Admit("10.0.0.1", true, kStart + absl::Seconds(61)).allowed);
}

TEST(ClientLimiterTest, ExemptAndOff) {
  ClientLimitOptions options{1, 1, 1};
  options.exempt = {"127.0.0.1"};
  ClientLimiter limiter(options);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.Admit("127.0.0.1", true, kStart).allowed);
  EXPECT_TRUE(limiter.Admit("10.0.0.1", false, kStart).allowed);
  EXPECT_FALSE(limiter.Admit("10.0.0.1", false, kStart).allowed);
  ClientLimiter off({0, 1, 1});
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.Admit("10.0.0.1", true, kStart).allowed);
}

TEST(ClientLimiterTest, ForgetsQuietClientsInsteadOfGrowing) {
  ClientLimitOptions options{10, 10, 10};
  options.max_clients = 100;
  ClientLimiter limiter(options);
  for (int i = 0; i < 1000; ++i) {
    limiter.Admit("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), false,
                  kStart + absl::Minutes(2) * i);
  }
  EXPECT_LE(limiter.clients(), 100u);
}

TEST(ClientAddressTest, FromGrpcAndHttpPeers) {
  EXPECT_EQ(ClientAddress("ipv4:127.0.0.1:5555"), "127.0.0.1");
  EXPECT_EQ(ClientAddress("ipv6:[::1]:5555"), "::1");
  EXPECT_EQ(ClientAddress("10.1.2.3:443"), "10.1.2.3");
  EXPECT_EQ(ClientAddress("[2001:db8::7]:8080"), "2001:db8::7");
}

}  // namespace
}  // namespace backchat::security
