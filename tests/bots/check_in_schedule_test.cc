// Quiet hours: due check-ins wait for the end of them (the scheduler with
// an injected clock), and a bad --check_in_quiet_hours stops a bridge at
// start with a clear error.
#include "absl/strings/str_cat.h"
#include "client/chat/chat_store.h"
#include "client/chat/check_in_scheduler.h"
#include "client/chat/check_in_store.h"
#include "gmock/gmock.h"
#include "tests/bots/bridge_fixture.h"

namespace backchat::testing {
namespace {

using ::testing::HasSubstr;

absl::Time UtcAt(int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilMinute(2026, 1, day, hour, minute), absl::UTCTimeZone());
}

chat::QuietHours QuietUtc(absl::string_view flag) {
  absl::StatusOr<chat::QuietHours> quiet = chat::ParseQuietHours(flag);
  EXPECT_TRUE(quiet.ok()) << quiet.status();
  chat::QuietHours hours = quiet.ok() ? *quiet : chat::QuietHours{};
  hours.zone = absl::UTCTimeZone();
  return hours;
}

TEST(QuietHoursTest, WrapAtMidnightAndEndOnTheHour) {
  const chat::QuietHours night = QuietUtc("21-9");
  EXPECT_FALSE(night.Contains(UtcAt(5, 20, 59)));
  EXPECT_TRUE(night.Contains(UtcAt(5, 21, 0)));
  EXPECT_TRUE(night.Contains(UtcAt(6, 0, 30)));
  EXPECT_TRUE(night.Contains(UtcAt(6, 8, 59)));
  EXPECT_FALSE(night.Contains(UtcAt(6, 9, 0)));
  const chat::QuietHours lunch = QuietUtc("13-14");
  EXPECT_TRUE(lunch.Contains(UtcAt(5, 13, 30)));
  EXPECT_FALSE(lunch.Contains(UtcAt(5, 14, 0)));
  EXPECT_FALSE(QuietUtc("").Contains(UtcAt(5, 3, 0)));  // none
}

TEST(QuietHoursTest, BadValuesNameTheFlagAndTheForm) {
  for (const char* bad : {"25-3", "21", "21-9-3", "a-b", "-1-9", "21-24"}) {
    const absl::StatusOr<chat::QuietHours> quiet = chat::ParseQuietHours(bad);
    ASSERT_FALSE(quiet.ok()) << bad;
    EXPECT_EQ(quiet.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(quiet.status().message(),
              absl::StrCat("--check_in_quiet_hours=", bad,
                           " is not START-END in whole hours of the day, e.g. 21-9 (or empty "
                           "for none)"));
  }
}

TEST(CheckInSchedulerTest, ADueCheckInWaitsForTheEndOfQuietHoursThenGoesOnce) {
  auto chats = chat::ChatStore::Open(
      absl::StrCat(::testing::TempDir(), "/quiet-", absl::ToUnixNanos(absl::Now()), ".db"));
  ASSERT_TRUE(chats.ok()) << chats.status();
  auto store = chat::CheckInStore::Open(&(*chats)->database(), "CHANNEL_SMS");
  ASSERT_TRUE(store.ok()) << store.status();
  chat::PendingCheckIn offer;
  offer.chat_key = "k1";
  offer.record_id = "r1";
  offer.locale = "en";
  ASSERT_TRUE((*store)->Offer(offer).ok());
  ASSERT_TRUE((*store)->Schedule("k1", UtcAt(5, 22, 0)).ok());

  std::vector<absl::Time> sent_at;
  absl::Time now;
  chat::CheckInScheduleOptions options;
  options.quiet = QuietUtc("21-9");
  // The thread is never started: each pass runs at the time given.
  chat::CheckInScheduler scheduler(
      store->get(),
      [&](const chat::PendingCheckIn&, const std::string&) {
        sent_at.push_back(now);
        return absl::OkStatus();
      },
      options);
  for (const absl::Time quiet : {UtcAt(5, 22, 0), UtcAt(5, 23, 30), UtcAt(6, 8, 59)}) {
    now = quiet;
    absl::StatusOr<bool> handled = scheduler.SendNextDue(now);
    ASSERT_TRUE(handled.ok()) << handled.status();
    EXPECT_FALSE(*handled) << absl::FormatTime(now);
  }
  EXPECT_TRUE(sent_at.empty());
  now = UtcAt(6, 9, 0);
  absl::StatusOr<bool> handled = scheduler.SendNextDue(now);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_TRUE(*handled);
  now = UtcAt(6, 10, 0);
  handled = scheduler.SendNextDue(now);
  ASSERT_TRUE(handled.ok()) << handled.status();
  EXPECT_FALSE(*handled) << "sent twice";
  ASSERT_EQ(sent_at.size(), 1u);
  EXPECT_EQ(sent_at[0], UtcAt(6, 9, 0));
  absl::StatusOr<std::optional<chat::PendingCheckIn>> row = (*store)->Find("k1");
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->state, chat::CheckInState::kSent);
}

class QuietHoursFlagTest : public BridgeTest {};

TEST_F(QuietHoursFlagTest, ABadValueStopsTheBridgeWithAClearError) {
  WriteFile("bot_token", "123456:TEST-token");
  auto bridge = ServerProcess::StartProgram(
      {BACKCHAT_TELEGRAM_BINARY, "--token_file=" + Path("bot_token"),
       "--api_base_url=http://127.0.0.1:9", "--state_db=" + Path("telegram.db"),
       absl::StrCat("--backchat_address=127.0.0.1:", backchat_port_), "--check_ins",
       "--check_in_quiet_hours=21-25"},
      "polling", absl::Seconds(10));
  ASSERT_FALSE(bridge.ok());
  EXPECT_THAT(bridge.status().message(),
              HasSubstr("--check_in_quiet_hours=21-25 is not START-END in whole hours"));
}

}  // namespace
}  // namespace backchat::testing
