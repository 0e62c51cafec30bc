// Safety netting on SMS, through the real bridge process and the real
// server: the check-in goes out through a fake of Twilio's REST Messages
// API, once, however the bridge is restarted, and never after "stop".
#include <signal.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/bots/sms/twilio_messages.h"
#include "client/bots/sms/twilio_signature.h"
#include "client/chat/check_ins.h"
#include "gmock/gmock.h"
#include "service/common/http/form_urlencoded.h"
#include "tests/bots/check_in_fixture.h"
#include "tests/bots/fake_receiver.h"
#include "tests/support/http_client.h"

namespace backchat::testing {
namespace {

namespace tv1 = ::backchat::triage::v1;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAuthToken[] = "twilio-auth-token-for-tests";
constexpr char kPublicUrl[] = "https://clinic.example/sms";
constexpr char kSid[] = "AC0123456789abcdef";

class SmsCheckInTest : public CheckInTest {
 protected:
  void SetUp() override {
    CheckInTest::SetUp();
    WriteFile("twilio_token", kAuthToken);
    WriteFile("twilio_sid", kSid);
    WriteFile("phone_key", "a-secret-phone-key-of-32-bytes!!");
    auto twilio = FakeReceiver::Start(201, "{\"sid\":\"SM0123\",\"status\":\"queued\"}");
    ASSERT_TRUE(twilio.ok()) << twilio.status();
    twilio_ = *std::move(twilio);
    StartBridge();
  }

  void StartBridge() {
    std::vector<std::string> args = {
        BACKCHAT_SMS_BINARY, "--port=0", absl::StrCat("--public_url=", kPublicUrl),
        "--twilio_auth_token_file=" + Path("twilio_token"),
        "--twilio_account_sid_file=" + Path("twilio_sid"), "--twilio_from=+15557654321",
        "--twilio_api_base_url=" + twilio_->base_url(), "--phone_key_file=" + Path("phone_key"),
        "--state_db=" + Path("sms.db"),
        absl::StrCat("--backchat_address=127.0.0.1:", backchat_port_)};
    for (const std::string& flag : CheckInFlags()) args.push_back(flag);
    auto bridge = ServerProcess::StartListening(args);
    ASSERT_TRUE(bridge.ok()) << bridge.status();
    bridge_ = *std::move(bridge);
  }

  // An SMS from `number` signed as Twilio signs; the TwiML reply's body.
  std::string Sms(const std::string& number, const std::string& body) {
    const http::FormFields fields = {{"From", number}, {"Body", body}};
    const std::string form =
        absl::StrCat("From=", sms::FormEncode(number), "&Body=", sms::FormEncode(body));
    const std::vector<std::string> headers = {
        "X-Twilio-Signature: " + sms::TwilioSignature(kAuthToken, kPublicUrl, fields)};
    auto reply = PostHttp(bridge_->port(), "/sms", "application/x-www-form-urlencoded", form,
                          headers);
    EXPECT_TRUE(reply.ok() && reply->status == 200) << (reply.ok() ? reply->body : "");
    return reply.ok() ? reply->body : "";
  }

  // Talks `number` through to `level`; returns the outcome's reply.
  std::string Triage(const std::string& number, tv1::Level level) {
    ChatOracle oracle(channel_, "en");
    oracle.Start();
    std::string last = Sms(number, "start");
    while (oracle.turn().has_question()) {
      const std::string numbers = oracle.NumbersText(PathTo(level).answers);
      oracle.Answer(PathTo(level).answers);
      last = Sms(number, numbers);
    }
    return last;
  }

  // The check-ins Twilio took for `number`.
  int CheckInsTo(const std::string& number) {
    int count = 0;
    for (const http::HttpRequest& request : twilio_->Taken()) {
      count += absl::StartsWith(request.body, absl::StrCat("To=", sms::FormEncode(number), "&"));
    }
    return count;
  }

  std::unique_ptr<FakeReceiver> twilio_;
  std::unique_ptr<ServerProcess> bridge_;
};

TEST_F(SmsCheckInTest, CheckInGoesThroughTwilioRestOnceAfterAFailure) {
  const std::string number = "+34600111222";
  EXPECT_THAT(Triage(number, tv1::LEVEL_SELF_CARE), HasSubstr("May we check on you in 3 days"));
  twilio_->FailNext(1, 503);
  Sms(number, "yes");
  const std::vector<http::HttpRequest> sent = twilio_->WaitForTaken(1);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(twilio_->Received(), 2);  // the 503, then the retry
  EXPECT_EQ(sent[0].path, absl::StrCat("/2010-04-01/Accounts/", kSid, "/Messages.json"));
  EXPECT_EQ(HeaderOf(sent[0], "Authorization"),
            "Basic " + absl::Base64Escape(absl::StrCat(kSid, ":", kAuthToken)));
  EXPECT_EQ(sent[0].body, absl::StrCat("To=%2B34600111222&From=%2B15557654321&Body=",
                                       sms::FormEncode(chat::CheckInMessage("en"))));
  EXPECT_THAT(Sms(number, "2"), HasSubstr("Thank you. See a doctor"));
  EXPECT_EQ(CheckInsAnswered(tv1::CHECK_IN_ANSWER_SAME), 1);
  EXPECT_THAT(StateBytes(Path("sms.db")), Not(HasSubstr("600111222")));
}

TEST_F(SmsCheckInTest, ARestartBetweenTheYesAndTheSendSendsExactlyOne) {
  const std::string number = "+34600333444";
  Triage(number, tv1::LEVEL_SEE_DOCTOR);
  EXPECT_THAT(Sms(number, "yes"), HasSubstr("We will ask how you are in 3 days"));
  // Stopped before the check-in is due: the new process sends it, once.
  ASSERT_EQ(bridge_->Stop(SIGTERM), 0);
  EXPECT_EQ(twilio_->Received(), 0);
  StartBridge();
  ASSERT_EQ(twilio_->WaitForTaken(1).size(), 1u);
  absl::SleepFor(kWellPastDue);
  EXPECT_EQ(CheckInsTo(number), 1);
  EXPECT_EQ(twilio_->Received(), 1);
  // And it is answered as usual after the restart.
  EXPECT_THAT(Sms(number, "better"), HasSubstr("Thank you. See a doctor"));
  EXPECT_EQ(CheckInsAnswered(tv1::CHECK_IN_ANSWER_BETTER), 1);
}

TEST_F(SmsCheckInTest, StopCancelsAPendingCheckIn) {
  const std::string stopped = "+34600555666";
  const std::string kept = "+34600777888";
  Triage(stopped, tv1::LEVEL_SELF_CARE);
  Sms(stopped, "yes");
  EXPECT_THAT(Sms(stopped, "stop"), HasSubstr("Stopped."));
  Triage(kept, tv1::LEVEL_SELF_CARE);
  Sms(kept, "yes");
  // The kept one is sent: the schedule runs, and still nothing for "stop".
  ASSERT_EQ(twilio_->WaitForTaken(1).size(), 1u);
  absl::SleepFor(kWellPastDue);
  EXPECT_EQ(CheckInsTo(stopped), 0);
  EXPECT_EQ(CheckInsTo(kept), 1);
}

}  // namespace
}  // namespace backchat::testing
