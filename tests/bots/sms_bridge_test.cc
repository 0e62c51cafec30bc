// The SMS bridge as Twilio drives it: signed form posts to the real
// backchat_sms process, TwiML back, against the real BackChat server.
#include <signal.h>

#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "client/bots/sms/twilio_signature.h"
#include "client/chat/chat_strings.h"
#include "client/chat/message_splitter.h"
#include "gmock/gmock.h"
#include "tests/bots/bridge_fixture.h"
#include "tests/bots/chat_oracle.h"
#include "tests/support/http_client.h"

namespace backchat::testing {
namespace {

namespace tv1 = ::backchat::triage::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kAuthToken[] = "twilio-auth-token-for-tests";
constexpr char kPublicUrl[] = "https://clinic.example/sms";
constexpr size_t kSmsLength = 1600;

std::string FormEscape(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

// The <Message> texts of a TwiML reply, unescaped.
std::vector<std::string> SmsMessages(const std::string& twiml) {
  std::vector<std::string> messages;
  size_t at = 0;
  while ((at = twiml.find("<Message>", at)) != std::string::npos) {
    const size_t end = twiml.find("</Message>", at);
    messages.push_back(absl::StrReplaceAll(
        twiml.substr(at + 9, end - at - 9),
        {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}}));
    at = end;
  }
  return messages;
}

class SmsBridgeTest : public BridgeTest {
 protected:
  void SetUp() override {
    BridgeTest::SetUp();
    WriteFile("twilio_token", std::string(kAuthToken) + "\n");
    WriteFile("phone_key", "a-secret-phone-key-of-32-bytes!!");
    WriteFile("admin_token", "bridge-admin-token-0123456789");
    StartBridge({"--admin_token_file=" + Path("admin_token")});
  }

  void TearDown() override {
    // The bridge logs why a reply was "try again" (BackChat's or its
    // state file's error).
    if (HasFailure() && bridge_ != nullptr) std::cerr << "backchat_sms's log:\n" << bridge_->Log();
    BridgeTest::TearDown();
  }

  void StartBridge(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {
        BACKCHAT_SMS_BINARY, "--port=0", absl::StrCat("--public_url=", kPublicUrl),
        "--twilio_auth_token_file=" + Path("twilio_token"),
        "--phone_key_file=" + Path("phone_key"), "--state_db=" + Path("sms.db"),
        absl::StrCat("--backchat_address=127.0.0.1:", backchat_port_)};
    args.insert(args.end(), extra.begin(), extra.end());
    auto bridge = ServerProcess::StartListening(args);
    ASSERT_TRUE(bridge.ok()) << bridge.status();
    bridge_ = *std::move(bridge);
  }

  // An SMS from `from`, signed as Twilio signs it.
  HttpReply Sms(const std::string& from, const std::string& body,
                const std::string& signature_override = "-") {
    http::FormFields fields = {{"AccountSid", "AC123"}, {"From", from},
                               {"To", "+15557654321"}, {"Body", body}};
    std::string form;
    for (const auto& [name, value] : fields) {
      absl::StrAppend(&form, form.empty() ? "" : "&", name, "=", FormEscape(value));
    }
    const std::string signature = signature_override == "-"
                                      ? sms::TwilioSignature(kAuthToken, kPublicUrl, fields)
                                      : signature_override;
    std::vector<std::string> headers;
    if (!signature.empty()) headers.push_back("X-Twilio-Signature: " + signature);
    auto reply = PostHttp(bridge_->port(), "/sms", "application/x-www-form-urlencoded", form,
                          headers);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : HttpReply{};
  }

  std::vector<std::string> Texts(const std::string& from, const std::string& body) {
    const HttpReply reply = Sms(from, body);
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_THAT(reply.Header("content-type"), StartsWith("application/xml"));
    return SmsMessages(reply.body);
  }

  // Answers the oracle's questions by number until `stop_after` answers
  // (or the outcome), checking each reply against the oracle.
  void AnswerUntil(const std::string& from, ChatOracle& oracle, const Answers& answers,
                   int stop_after) {
    for (int step = 0; step < stop_after && oracle.turn().has_question(); ++step) {
      const std::string numbers = oracle.NumbersText(answers);
      oracle.Answer(answers);
      ASSERT_EQ(Texts(from, numbers), oracle.Expected(false, kSmsLength))
          << "after answering " << numbers;
    }
  }

  std::unique_ptr<ServerProcess> bridge_;
};

TEST_F(SmsBridgeTest, WholeConversationsToEachLevelInEnglishAndSpanish) {
  int phone = 0;
  for (const std::string locale : {"en", "es"}) {
    for (const LevelPath& path : PathsToEachLevel()) {
      SCOPED_TRACE(absl::StrCat(locale, " ", tv1::Level_Name(path.level)));
      const std::string from = absl::StrCat("+1555000", 1000 + ++phone);
      ChatOracle oracle(channel_, locale);
      oracle.Start();
      ASSERT_EQ(Texts(from, locale == "es" ? "Empezar" : "start"), oracle.Expected(false, kSmsLength));
      AnswerUntil(from, oracle, path.answers, 20);
      ASSERT_TRUE(oracle.turn().has_outcome());
      EXPECT_EQ(oracle.turn().outcome().level(), path.level);
      const std::vector<std::string> last = oracle.Expected(false, kSmsLength);
      EXPECT_THAT(last.front(), StartsWith(absl::StrCat(
                                    chat::LevelHeading(chat::StringsFor(locale), path.level), ": ")));
      if (path.level == tv1::LEVEL_EMERGENCY) {
        EXPECT_THAT(last.front(), StartsWith(locale == "es" ? "EMERGENCIA: Llame ahora a emergencias"
                                                            : "EMERGENCY: Call emergency services now"));
      }
      // The actions, a line each, in the first SMS, after the next steps.
      EXPECT_THAT(last.front(),
                  HasSubstr(absl::StrCat(
                      oracle.turn().outcome().next_steps(), "\n\n",
                      absl::StrJoin(ActionLines(locale, path.level), "\n"), "\n\n")));
      if (path.level != tv1::LEVEL_SELF_CARE) {
        for (const std::string& message : last) {
          EXPECT_THAT(message, Not(HasSubstr("https://"))) << "a booking for an outcome that is "
                                                             "not SELF_CARE";
        }
      }
      for (const std::string& message : last) EXPECT_LE(chat::MessageLength(message), kSmsLength);
    }
  }
}

TEST_F(SmsBridgeTest, ContinuesWhereItWasAfterARestart) {
  const std::string from = "+15550002222";
  ChatOracle oracle(channel_, "en");
  oracle.Start();
  ASSERT_EQ(Texts(from, "hello"), oracle.Expected(false, kSmsLength));
  const Answers& answers = PathsToEachLevel()[3].answers;
  AnswerUntil(from, oracle, answers, 3);
  EXPECT_EQ(bridge_->Stop(SIGTERM), 0);
  StartBridge();
  AnswerUntil(from, oracle, answers, 20);
  EXPECT_EQ(oracle.turn().outcome().level(), tv1::LEVEL_SELF_CARE);
}

TEST_F(SmsBridgeTest, CommandsBackHelpRestartStop) {
  const std::string from = "+15550003333";
  ChatOracle oracle(channel_, "en");
  oracle.Start();
  ASSERT_EQ(Texts(from, "start"), oracle.Expected(false, kSmsLength));
  const Answers& answers = PathsToEachLevel()[3].answers;
  const std::vector<std::string> first = oracle.Expected(false, kSmsLength);
  AnswerUntil(from, oracle, answers, 1);
  // back: the first question again.
  EXPECT_EQ(Texts(from, "back"), first);
  // help: the commands, then the current question.
  const std::vector<std::string> help = Texts(from, "HELP");
  ASSERT_FALSE(help.empty());
  EXPECT_THAT(help.front(), HasSubstr("back - change your last answer"));
  EXPECT_THAT(help.front(), HasSubstr("Question 1 of at most"));
  EXPECT_THAT(Texts(from, "/whatever"), ElementsAre(StartsWith("Sorry, I do not know that command.")));
  EXPECT_THAT(Texts(from, "restart"), ElementsAre(StartsWith("Question 1 of at most")));
  EXPECT_THAT(Texts(from, "stop"), ElementsAre(StartsWith("Stopped.")));
  EXPECT_THAT(Texts(from, "stop"), ElementsAre(StartsWith("There is no check in progress")));
  EXPECT_THAT(Texts(from, "back"), ElementsAre(StartsWith("There is no check in progress")));
  // After stop, anything starts a new check.
  EXPECT_THAT(Texts(from, "hi again"), ElementsAre(StartsWith("Question 1 of at most")));
}

TEST_F(SmsBridgeTest, UnclearAndOverLongAnswers) {
  const std::string from = "+15550004444";
  ASSERT_THAT(Texts(from, "start"), ElementsAre(StartsWith("Question 1")));
  // Not an option: the same question with the server's notice first.
  const std::vector<std::string> unclear = Texts(from, "purple elephants");
  ASSERT_EQ(unclear.size(), 1u);
  EXPECT_THAT(unclear[0], HasSubstr("Question 1 of at most"));
  EXPECT_FALSE(absl::StartsWith(unclear[0], "Question 1")) << "the notice comes first";
  EXPECT_THAT(Texts(from, std::string(1500, 'x')),
              ElementsAre("That message is too long. Please answer in a few words."));
}

TEST_F(SmsBridgeTest, RefusesWhatTwilioDidNotSign) {
  EXPECT_EQ(Sms("+15550005555", "start", "").status, 403);
  EXPECT_EQ(Sms("+15550005555", "start", "bm90IGEgc2lnbmF0dXJl").status, 403);
  // Signed for another URL.
  http::FormFields fields = {{"From", "+15550005555"}, {"Body", "start"}};
  const std::string other = sms::TwilioSignature(kAuthToken, "https://evil.example/sms", fields);
  auto reply = PostHttp(bridge_->port(), "/sms", "application/x-www-form-urlencoded",
                        "From=%2B15550005555&Body=start", {"X-Twilio-Signature: " + other});
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 403);
  // Signed, then the body changed.
  const std::string good = sms::TwilioSignature(kAuthToken, kPublicUrl, fields);
  reply = PostHttp(bridge_->port(), "/sms", "application/x-www-form-urlencoded",
                   "From=%2B15550005555&Body=stop", {"X-Twilio-Signature: " + good});
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 403);
}

TEST_F(SmsBridgeTest, MalformedRequestsGetClearErrors) {
  struct Case {
    std::string raw;
    int status;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"GET /sms HTTP/1.1\r\nHost: x\r\n\r\n", 405, "POST"},
      {"POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 404, "/sms"},
      {"POST /sms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
       "Content-Length: 2\r\n\r\n{}",
       415, "x-www-form-urlencoded"},
      {"POST /sms HTTP/1.1\r\nHost: x\r\nContent-Type: "
       "application/x-www-form-urlencoded\r\n"
       "Content-Length: 11\r\n\r\nBody=50%zz!",
       400, "hex digits"},
      {absl::StrCat("POST /sms HTTP/1.1\r\nHost: x\r\nContent-Type: "
                    "application/x-www-form-urlencoded\r\nContent-Length: "
                    "100000\r\n\r\n"),
       413, ""},
  };
  for (const Case& c : cases) {
    auto reply = SendRawHttp(bridge_->port(), c.raw);
    ASSERT_TRUE(reply.ok()) << c.raw;
    EXPECT_EQ(reply->status, c.status) << c.raw;
    EXPECT_THAT(reply->body, HasSubstr(c.says)) << c.raw;
  }
  // Signed but without From.
  http::FormFields fields = {{"Body", "start"}};
  auto reply = PostHttp(bridge_->port(), "/sms", "application/x-www-form-urlencoded", "Body=start",
                        {"X-Twilio-Signature: " + sms::TwilioSignature(kAuthToken, kPublicUrl, fields)});
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 400);
  EXPECT_THAT(reply->body, HasSubstr("From"));
  // Still serving.
  EXPECT_THAT(Texts("+15550006666", "start"), ElementsAre(StartsWith("Question 1")));
}

TEST_F(SmsBridgeTest, UnreachableBackchatAsksToTryAgainThenCarriesOn) {
  const std::string from = "+15550007777";
  ASSERT_THAT(Texts(from, "start"), ElementsAre(StartsWith("Question 1")));
  const int port = backchat_port_;
  EXPECT_EQ(backchat_->Stop(SIGTERM), 0);
  EXPECT_THAT(Texts(from, "7"),
              ElementsAre("Sorry, the back pain check is not reachable right now. Please try "
                          "again in a moment."));
  // BackChat back on the same port (a fresh memory store: the old session
  // is gone, so the bridge starts a new check and says so).
  StartBackchat(port);
  std::vector<std::string> texts;
  for (int attempt = 0; attempt < 40; ++attempt) {
    texts = Texts(from, "7");
    if (!texts.empty() && !absl::StartsWith(texts[0], "Sorry")) break;
    absl::SleepFor(absl::Milliseconds(250));
  }
  ASSERT_FALSE(texts.empty());
  EXPECT_THAT(texts[0], StartsWith("That conversation had expired, so a new one has started."));
}

TEST_F(SmsBridgeTest, StoresNoPhoneNumberAndLogsNoMessage) {
  const std::string from = "+15550008888";
  ASSERT_THAT(Texts(from, "start"), ElementsAre(StartsWith("Question 1")));
  ASSERT_THAT(Texts(from, "lower back pain secretword"), ::testing::Not(::testing::IsEmpty()));
  EXPECT_EQ(bridge_->Stop(SIGTERM), 0);
  const std::string bytes = StateBytes(Path("sms.db"));
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find("5550008888"), std::string::npos);
  EXPECT_EQ(bridge_->Log().find("5550008888"), std::string::npos);
  EXPECT_EQ(bridge_->Log().find("secretword"), std::string::npos);
}

TEST_F(SmsBridgeTest, AProposedReadingIsAnsweredYesOrNo) {
  const std::string from = "+15550007777";
  ASSERT_THAT(Texts(from, "start"), ElementsAre(StartsWith("Question 1")));
  ASSERT_THAT(Texts(from, "nothing like that"),
              ElementsAre(::testing::AllOf(HasSubstr("I understood: None of these"),
                                           HasSubstr("Reply yes or no"))));
  ASSERT_THAT(Texts(from, "no"), ElementsAre(HasSubstr("choose from the options")));
  ASSERT_THAT(Texts(from, "nothing like that"), ElementsAre(HasSubstr("I understood")));
  ASSERT_THAT(Texts(from, "yes"),
              ElementsAre(::testing::AllOf(StartsWith("You said: None of these"),
                                           HasSubstr("Question 2"))));
}

TEST_F(SmsBridgeTest, ForgetsAChatOnRequest) {
  const std::string from = "+15550009999";
  ASSERT_THAT(Texts(from, "start"), ElementsAre(StartsWith("Question 1")));
  ASSERT_THAT(Texts(from, "7"), ElementsAre(::testing::AllOf(StartsWith("You said: None of these"),
                                                             HasSubstr("Question 2"))));
  auto forget = [&](const std::string& token, const std::string& body) {
    auto reply = PostHttp(bridge_->port(), "/admin/forget", "application/json", body,
                          {"Authorization: Bearer " + token});
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? *reply : HttpReply{};
  };
  EXPECT_EQ(forget("wrong-token-0123456789", "{\"user\":\"+15550009999\"}").status, 401);
  EXPECT_EQ(forget("bridge-admin-token-0123456789", "{\"usr\":1}").status, 400);
  const HttpReply forgotten =
      forget("bridge-admin-token-0123456789", "{\"user\":\"+15550009999\"}");
  ASSERT_EQ(forgotten.status, 200);
  EXPECT_THAT(forgotten.body, StartsWith("{\"forgotten\":true,\"sessionId\":\""));
  const std::string session = forgotten.body.substr(forgotten.body.find("sessionId") + 12, 32);
  EXPECT_EQ(forget("bridge-admin-token-0123456789", "{\"user\":\"+15550009999\"}").body,
            "{\"forgotten\":false}");
  // The person's next message starts afresh; the old mapping left nothing.
  EXPECT_THAT(Texts(from, "7"), ElementsAre(StartsWith("Question 1")));
  EXPECT_EQ(bridge_->Stop(SIGTERM), 0);
  EXPECT_EQ(StateBytes(Path("sms.db")).find(session), std::string::npos);
}

TEST_F(SmsBridgeTest, RefusesToStartWithoutItsSecrets) {
  auto bridge = ServerProcess::StartProgram(
      {BACKCHAT_SMS_BINARY, "--port=0", absl::StrCat("--public_url=", kPublicUrl),
       "--twilio_auth_token_file=" + Path("twilio_token"), "--phone_key_file=" + Path("missing"),
       "--state_db=" + Path("other.db")},
      "listening on", absl::Seconds(10));
  ASSERT_FALSE(bridge.ok());
  EXPECT_THAT(bridge.status().message(), HasSubstr("--phone_key_file"));
  WriteFile("short_key", "short");
  bridge = ServerProcess::StartProgram(
      {BACKCHAT_SMS_BINARY, "--port=0", absl::StrCat("--public_url=", kPublicUrl),
       "--twilio_auth_token_file=" + Path("twilio_token"), "--phone_key_file=" + Path("short_key"),
       "--state_db=" + Path("other.db")},
      "listening on", absl::Seconds(10));
  ASSERT_FALSE(bridge.ok());
  EXPECT_THAT(bridge.status().message(), HasSubstr("at least 16"));
}

}  // namespace
}  // namespace backchat::testing
