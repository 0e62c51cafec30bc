// Safety netting through the real bridge processes and the real server:
// the offer after SELF_CARE, the check-in at its (shortened) time through
// a fake callback receiver, a fake Twilio REST API and the fake Bot API,
// the answers, "stop", and a restart between scheduling and sending.
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "backchat/admin/v1/admin.grpc.pb.h"
#include "backchat/chat/v1/chat_webhook.pb.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "client/bots/sms/twilio_messages.h"
#include "client/bots/sms/twilio_signature.h"
#include "client/bots/webhook/callback_sender.h"
#include "client/chat/check_ins.h"
#include "service/http/form_urlencoded.h"
#include "client/chat/chat_strings.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "service/http/proto_json.h"
#include "tests/bots/bridge_fixture.h"
#include "tests/bots/chat_oracle.h"
#include "tests/bots/fake_bot_api.h"
#include "tests/bots/fake_receiver.h"
#include "tests/support/http_client.h"

namespace backchat::testing {
namespace {

namespace cv1 = ::backchat::chat::v1;
namespace tv1 = ::backchat::triage::v1;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kToken[] = "webhook-token-0123456789";
constexpr char kAdminKey[] = "check-in-admin-key-0123456789abcdef";

const LevelPath& PathTo(tv1::Level level) {
  for (const LevelPath& path : PathsToEachLevel()) {
    if (path.level == level) return path;
  }
  return PathsToEachLevel().front();
}

// The flags every bridge gets for check-ins due 2 s after the yes.
std::vector<std::string> CheckInFlags() {
  return {"--check_ins", "--check_in_delay=2s", "--check_in_quiet_hours="};
}

class CheckInTest : public BridgeTest {
 protected:
  void SetUp() override {
    BridgeTest::SetUp();
    // Records need a key to be read back.
    WriteFile("admin_keys", absl::StrCat("tests records ", kAdminKey, "\n"));
    backchat_.reset();
    StartBackchat(0, {"--admin_keys_file=" + Path("admin_keys")});
  }

  // The triage records, read through the admin API.
  std::vector<admin::v1::TriageRecord> Records() {
    auto stub = admin::v1::AdminService::NewStub(channel_);
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", kAdminKey));
    admin::v1::ListRecordsResponse response;
    const grpc::Status status = stub->ListRecords(&context, {}, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return {response.records().begin(), response.records().end()};
  }
};

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
  absl::SleepFor(absl::Seconds(3));
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
  absl::SleepFor(absl::Seconds(4));
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

// ---------------------------------------------------------------- SMS

TEST_F(CheckInTest, SmsCheckInGoesThroughTwilioRestOnceAfterAFailure) {
  constexpr char kAuthToken[] = "twilio-auth-token-for-tests";
  constexpr char kPublicUrl[] = "https://clinic.example/sms";
  WriteFile("twilio_token", kAuthToken);
  WriteFile("twilio_sid", "AC0123456789abcdef");
  WriteFile("phone_key", "a-secret-phone-key-of-32-bytes!!");
  auto twilio = FakeReceiver::Start(201, "{\"sid\":\"SM0123\",\"status\":\"queued\"}");
  ASSERT_TRUE(twilio.ok()) << twilio.status();
  std::vector<std::string> args = {
      BACKCHAT_SMS_BINARY, "--port=0", absl::StrCat("--public_url=", kPublicUrl),
      "--twilio_auth_token_file=" + Path("twilio_token"),
      "--twilio_account_sid_file=" + Path("twilio_sid"), "--twilio_from=+15557654321",
      "--twilio_api_base_url=" + (*twilio)->base_url(), "--phone_key_file=" + Path("phone_key"),
      "--state_db=" + Path("sms.db"), absl::StrCat("--backchat_address=127.0.0.1:", backchat_port_)};
  for (const std::string& flag : CheckInFlags()) args.push_back(flag);
  auto bridge = ServerProcess::StartListening(args);
  ASSERT_TRUE(bridge.ok()) << bridge.status();
  const std::string number = "+34600111222";
  auto sms = [&](const std::string& body) {
    const http::FormFields fields = {{"From", number}, {"Body", body}};
    std::string form = absl::StrCat("From=%2B34600111222&Body=", sms::FormEncode(body));
    const std::vector<std::string> headers = {"X-Twilio-Signature: " +
                                              sms::TwilioSignature(kAuthToken, kPublicUrl, fields)};
    auto reply = PostHttp((*bridge)->port(), "/sms", "application/x-www-form-urlencoded", form,
                          headers);
    EXPECT_TRUE(reply.ok() && reply->status == 200) << (reply.ok() ? reply->body : "");
    return reply.ok() ? reply->body : "";
  };
  ChatOracle oracle(channel_, "en");
  oracle.Start();
  sms("start");
  std::string last;
  while (oracle.turn().has_question()) {
    const std::string numbers = oracle.NumbersText(PathTo(tv1::LEVEL_SELF_CARE).answers);
    oracle.Answer(PathTo(tv1::LEVEL_SELF_CARE).answers);
    last = sms(numbers);
  }
  EXPECT_THAT(last, HasSubstr("May we check on you in 3 days"));
  (*twilio)->FailNext(1, 503);
  sms("yes");
  const std::vector<http::HttpRequest> sent = (*twilio)->WaitForTaken(1);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ((*twilio)->Received(), 2);  // the 503, then the retry
  EXPECT_EQ(sent[0].path, "/2010-04-01/Accounts/AC0123456789abcdef/Messages.json");
  EXPECT_EQ(HeaderOf(sent[0], "Authorization"),
            "Basic " + absl::Base64Escape(absl::StrCat("AC0123456789abcdef:", kAuthToken)));
  EXPECT_EQ(sent[0].body, absl::StrCat("To=%2B34600111222&From=%2B15557654321&Body=",
                                       sms::FormEncode(chat::CheckInMessage("en"))));
  EXPECT_THAT(sms("2"), HasSubstr("Thank you. See a doctor"));
  EXPECT_THAT(StateBytes(Path("sms.db")), ::testing::Not(HasSubstr("600111222")));
}

// ----------------------------------------------------------- Telegram

TEST_F(CheckInTest, TelegramCheckInHasButtonsAndNewSymptomsStartsANewCheck) {
  constexpr char kBotToken[] = "123456:TEST-token";
  auto api = FakeBotApi::Start(kBotToken);
  ASSERT_TRUE(api.ok()) << api.status();
  WriteFile("bot_token", kBotToken);
  std::vector<std::string> args = {
      BACKCHAT_TELEGRAM_BINARY, "--token_file=" + Path("bot_token"),
      "--api_base_url=" + (*api)->base_url(), "--state_db=" + Path("telegram.db"),
      absl::StrCat("--backchat_address=127.0.0.1:", backchat_port_), "--poll_timeout=2s",
      "--max_backoff=300ms"};
  for (const std::string& flag : CheckInFlags()) args.push_back(flag);
  auto bridge = ServerProcess::StartProgram(args, "polling");
  ASSERT_TRUE(bridge.ok()) << bridge.status();
  constexpr int64_t kChat = 4242;
  ChatOracle oracle(channel_, "en");
  oracle.Start();
  (*api)->SendText(kChat, "start");
  size_t count = (*api)->WaitForCount(kChat, 1).size();
  while (oracle.turn().has_question()) {
    const std::string numbers = oracle.NumbersText(PathTo(tv1::LEVEL_SELF_CARE).answers);
    oracle.Answer(PathTo(tv1::LEVEL_SELF_CARE).answers);
    (*api)->SendText(kChat, numbers);
    const auto messages = (*api)->WaitFor(kChat, [&](const std::vector<FakeMessage>& all) {
      return all.size() > count && oracle.turn().has_question() == !all.back().buttons.empty();
    });
    count = messages.size();
  }
  auto messages = (*api)->WaitFor(kChat, [](const std::vector<FakeMessage>& all) {
    return !all.empty() && absl::StrContains(all.back().text, "May we check on you");
  });
  ASSERT_THAT(messages.back().text, HasSubstr("May we check on you in 3 days"));
  (*api)->SendText(kChat, "yes");
  messages = (*api)->WaitFor(kChat, [](const std::vector<FakeMessage>& all) {
    return !all.empty() && absl::StartsWith(all.back().text, "How is your back now?");
  });
  ASSERT_THAT(messages.back().text, StartsWith("How is your back now?"));
  const FakeMessage check_in = messages.back();
  ASSERT_EQ(check_in.buttons.size(), 4u);
  EXPECT_EQ(check_in.buttons[3].text, "New symptoms");
  EXPECT_EQ(check_in.buttons[3].data, "c:4");
  (*api)->PressButton(kChat, check_in.message_id, "c:4");
  ChatOracle again(channel_, "en");
  again.Start();
  messages = (*api)->WaitFor(kChat, [&](const std::vector<FakeMessage>& all) {
    return absl::StrContains(all.back().text, again.turn().question().text());
  });
  EXPECT_THAT(messages.back().text, HasSubstr(again.turn().question().text()));
  int new_symptoms = 0;
  for (const admin::v1::TriageRecord& record : Records()) {
    new_symptoms += record.check_in().answer() == tv1::CHECK_IN_ANSWER_NEW_SYMPTOMS;
  }
  EXPECT_EQ(new_symptoms, 1);
}

}  // namespace
}  // namespace backchat::testing
