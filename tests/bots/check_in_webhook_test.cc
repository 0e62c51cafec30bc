// Safety netting on the JSON webhook, through the real bridge process and
// the real server: the offer after SELF_CARE, the check-in at its
// (shortened) time through a fake callback receiver, the answers, "stop",
// and a restart between scheduling and sending.
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "backchat/chat/v1/chat_webhook.pb.h"
#include "client/bots/webhook/callback_sender.h"
#include "client/chat/chat_strings.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "service/common/proto_json.h"
#include "tests/bots/check_in_fixture.h"
#include "tests/bots/chat_oracle.h"
#include "tests/bots/fake_receiver.h"
#include "tests/support/http_client.h"

namespace backchat::testing {
namespace {

namespace cv1 = ::backchat::chat::v1;
namespace tv1 = ::backchat::triage::v1;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kToken[] = "webhook-token-0123456789";

// ------------------------------------------------------------ webhook

class WebhookCheckInTest : public CheckInTest {
 protected:
  void SetUp() override {
    CheckInTest::SetUp();
    WriteFile("token", kToken);
    WriteFile("user_key", "a-secret-user-key-of-32-bytes!!!");
    auto receiver = FakeReceiver::Start(200, "{}");
    ASSERT_TRUE(receiver.ok()) << receiver.status();
    receiver_ = *std::move(receiver);
    StartBridge();
  }

  void StartBridge() {
    std::vector<std::string> args = {
        BACKCHAT_WEBHOOK_BINARY, "--port=0", "--token_file=" + Path("token"),
        "--user_key_file=" + Path("user_key"), "--state_db=" + Path("webhook.db"),
        absl::StrCat("--backchat_address=127.0.0.1:", backchat_port_),
        "--callback_url=" + receiver_->base_url() + "/callback"};
    for (const std::string& flag : CheckInFlags()) args.push_back(flag);
    auto bridge = ServerProcess::StartListening(args);
    ASSERT_TRUE(bridge.ok()) << bridge.status();
    bridge_ = *std::move(bridge);
  }

  cv1::ChatWebhookResponse Say(const std::string& user, const std::string& text) {
    std::string body = "{\"user\":";
    http::AppendJsonString(user, &body);
    body += ",\"text\":";
    http::AppendJsonString(text, &body);
    body += "}";
    auto reply = PostHttp(bridge_->port(), "/v1/messages", "application/json", body,
                          {absl::StrCat("Authorization: Bearer ", kToken)});
    EXPECT_TRUE(reply.ok()) << reply.status();
    cv1::ChatWebhookResponse response;
    if (reply.ok()) {
      EXPECT_EQ(reply->status, 200) << reply->body;
      EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(reply->body, &response).ok());
    }
    return response;
  }

  std::string Text(const cv1::ChatWebhookResponse& response) {
    std::string text;
    for (const std::string& message : response.messages()) absl::StrAppend(&text, message);
    return text;
  }

  // Talks `user` through to `level`; returns the outcome's reply.
  cv1::ChatWebhookResponse Triage(const std::string& user, tv1::Level level) {
    ChatOracle oracle(channel_, "en");
    oracle.Start();
    cv1::ChatWebhookResponse reply = Say(user, "start");
    while (oracle.turn().has_question()) {
      const std::string numbers = oracle.NumbersText(PathTo(level).answers);
      oracle.Answer(PathTo(level).answers);
      reply = Say(user, numbers);
    }
    EXPECT_EQ(reply.level(), level);
    return reply;
  }

  std::unique_ptr<FakeReceiver> receiver_;
  std::unique_ptr<ServerProcess> bridge_;
};

TEST_F(WebhookCheckInTest, OptInRestartCheckInWorseLeadsToANewOutcome) {
  const cv1::ChatWebhookResponse outcome = Triage("u-worse", tv1::LEVEL_SELF_CARE);
  EXPECT_THAT(Text(outcome), HasSubstr("May we check on you in 3 days"));
  EXPECT_THAT(Text(Say("u-worse", "yes")), StartsWith("Thank you. We will ask how you are"));
  // Stopped between scheduling and sending: the new process sends it once.
  bridge_->Stop(SIGTERM);
  StartBridge();
  const std::vector<http::HttpRequest> sent = receiver_->WaitForTaken(1);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].path, "/callback");
  EXPECT_EQ(HeaderOf(sent[0], "X-BackChat-Signature"),
            webhook::CallbackSignature(kToken, sent[0].body));
  EXPECT_EQ(sent[0].body, webhook::CheckInCallbackBody("u-worse", "en"));

  // "Worse": a new check there and then, red-flag questions first.
  ChatOracle oracle(channel_, "en");
  oracle.Start();
  cv1::ChatWebhookResponse reply = Say("u-worse", "3");
  EXPECT_THAT(Text(reply), StartsWith(chat::StringsFor("en").check_in_again));
  EXPECT_THAT(Text(reply), HasSubstr(oracle.turn().question().text()));
  const Answers& urgent = PathTo(tv1::LEVEL_EMERGENCY).answers;
  while (oracle.turn().has_question()) {
    const std::string numbers = oracle.NumbersText(urgent);
    oracle.Answer(urgent);
    reply = Say("u-worse", numbers);
  }
  EXPECT_EQ(reply.level(), tv1::LEVEL_EMERGENCY);

  // The answer is kept with the first record: ids and the choice only.
  int with_check_in = 0;
  for (const admin::v1::TriageRecord& record : Records()) {
    if (!record.has_check_in()) continue;
    ++with_check_in;
    EXPECT_EQ(record.level(), tv1::LEVEL_SELF_CARE);
    EXPECT_EQ(record.check_in().record_id(), record.record_id());
    EXPECT_EQ(record.check_in().answer(), tv1::CHECK_IN_ANSWER_WORSE);
  }
  EXPECT_EQ(with_check_in, 1);
  // Exactly once: nothing more is sent (bounded: well past the schedule).
  absl::SleepFor(kWellPastDue);
  EXPECT_EQ(receiver_->Taken().size(), 1u);
}

TEST_F(WebhookCheckInTest, BetterIsRecordedAndStopCancels) {
  Triage("u-better", tv1::LEVEL_SELF_CARE);
  Say("u-better", "yes");
  Triage("u-stop", tv1::LEVEL_SEE_DOCTOR);
  Say("u-stop", "yes");
  Say("u-stop", "stop");
  Triage("u-no", tv1::LEVEL_SELF_CARE);
  EXPECT_THAT(Text(Say("u-no", "no")), StartsWith("All right, we will not check on you"));
  ASSERT_EQ(receiver_->WaitForTaken(1).size(), 1u);
  EXPECT_THAT(Text(Say("u-better", "better")), StartsWith("Thank you. See a doctor"));
  // Well past the others' due time: only the one check-in went out.
  absl::SleepFor(kWellPastDue);
  const std::vector<http::HttpRequest> sent = receiver_->Taken();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_THAT(sent[0].body, HasSubstr("\"user\":\"u-better\""));
  int better = 0;
  for (const admin::v1::TriageRecord& record : Records()) {
    if (record.has_check_in()) {
      EXPECT_EQ(record.check_in().answer(), tv1::CHECK_IN_ANSWER_BETTER);
      ++better;
    }
  }
  EXPECT_EQ(better, 1);
  // The state file holds no user id.
  EXPECT_THAT(StateBytes(Path("webhook.db")), ::testing::Not(HasSubstr("u-better")));
}

}  // namespace
}  // namespace backchat::testing
