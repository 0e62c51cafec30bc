// The generic chat webhook: JSON posts to the real backchat_webhook
// process, against the real BackChat server.
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "backchat/chat/v1/chat_webhook.pb.h"
#include "client/chat/message_splitter.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "service/common/proto_json.h"
#include "tests/bots/bridge_fixture.h"
#include "tests/bots/chat_oracle.h"
#include "tests/support/http_client.h"

namespace backchat::testing {
namespace {

namespace cv1 = ::backchat::chat::v1;
namespace tv1 = ::backchat::triage::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kToken[] = "webhook-token-0123456789";
constexpr size_t kLength = 2000;

class WebhookBridgeTest : public BridgeTest {
 protected:
  void SetUp() override {
    BridgeTest::SetUp();
    WriteFile("token", kToken);
    WriteFile("user_key", "a-secret-user-key-of-32-bytes!!!");
    StartBridge();
  }

  void StartBridge() {
    auto bridge = ServerProcess::StartListening(
        {BACKCHAT_WEBHOOK_BINARY, "--port=0", "--token_file=" + Path("token"),
         "--user_key_file=" + Path("user_key"), "--state_db=" + Path("webhook.db"),
         absl::StrCat("--backchat_address=127.0.0.1:", backchat_port_)});
    ASSERT_TRUE(bridge.ok()) << bridge.status();
    bridge_ = *std::move(bridge);
  }

  HttpReply Post(const std::string& body, const std::string& token = kToken) {
    std::vector<std::string> headers;
    if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
    auto reply = PostHttp(bridge_->port(), "/v1/messages", "application/json", body, headers);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : HttpReply{};
  }

  cv1::ChatWebhookResponse Say(const std::string& user, const std::string& text,
                               const std::string& locale = "", int want_status = 200) {
    std::string body = "{\"user\":";
    http::AppendJsonString(user, &body);
    body += ",\"text\":";
    http::AppendJsonString(text, &body);
    body += ",\"locale\":";
    http::AppendJsonString(locale, &body);
    body += "}";
    const HttpReply reply = Post(body);
    EXPECT_EQ(reply.status, want_status) << reply.body;
    cv1::ChatWebhookResponse response;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(reply.body, &response).ok())
        << reply.body;
    return response;
  }

  std::vector<std::string> Messages(const cv1::ChatWebhookResponse& response) {
    return {response.messages().begin(), response.messages().end()};
  }

  std::unique_ptr<ServerProcess> bridge_;
};

TEST_F(WebhookBridgeTest, WholeConversationsToEachLevelInEnglishAndSpanish) {
  int user = 0;
  for (const std::string locale : {"en", "es"}) {
    for (const LevelPath& path : PathsToEachLevel()) {
      SCOPED_TRACE(absl::StrCat(locale, " ", tv1::Level_Name(path.level)));
      const std::string id = absl::StrCat("slack:U", ++user);
      ChatOracle oracle(channel_, locale);
      oracle.Start();
      cv1::ChatWebhookResponse reply = Say(id, "hello", locale);
      ASSERT_EQ(Messages(reply), oracle.Expected(false, kLength));
      while (oracle.turn().has_question()) {
        // The options, for platforms with buttons, match the question.
        ASSERT_EQ(reply.options_size(), oracle.turn().question().options_size());
        for (int i = 0; i < reply.options_size(); ++i) {
          EXPECT_EQ(reply.options(i).number(), i + 1);
          EXPECT_EQ(reply.options(i).label(), oracle.turn().question().options(i).label());
        }
        EXPECT_EQ(reply.multiple_choice(), oracle.turn().question().kind() ==
                                               tv1::QUESTION_KIND_MULTIPLE_CHOICE);
        const std::string numbers = oracle.NumbersText(path.answers);
        oracle.Answer(path.answers);
        reply = Say(id, numbers);
        ASSERT_EQ(Messages(reply), oracle.Expected(false, kLength)) << numbers;
      }
      EXPECT_EQ(reply.level(), path.level);
      EXPECT_EQ(reply.options_size(), 0);
      // The actions, for buttons, and as lines of the first message.
      const auto& actions = oracle.turn().outcome().actions();
      ASSERT_EQ(reply.actions_size(), actions.size());
      ASSERT_GT(reply.actions_size(), 0);
      for (int i = 0; i < reply.actions_size(); ++i) {
        EXPECT_EQ(reply.actions(i).kind(), actions[i].kind());
        EXPECT_EQ(reply.actions(i).label(), actions[i].label());
        EXPECT_EQ(reply.actions(i).target(), actions[i].target());
        EXPECT_EQ(reply.actions(i).display(), actions[i].display());
      }
      const tv1::ActionKind first_kind[] = {
          tv1::ACTION_KIND_UNSPECIFIED, tv1::ACTION_KIND_CALL_EMERGENCY,
          tv1::ACTION_KIND_CALL_URGENT, tv1::ACTION_KIND_CALL_CLINIC, tv1::ACTION_KIND_BOOK};
      EXPECT_EQ(reply.actions(0).kind(), first_kind[path.level]);
      EXPECT_THAT(reply.actions(0).target(),
                  StartsWith(path.level == tv1::LEVEL_SELF_CARE ? "https://clinic.example/"
                                                                : "tel:"));
      EXPECT_THAT(reply.messages(0),
                  HasSubstr(absl::StrJoin(ActionLines(locale, path.level), "\n")));
      for (const std::string& message : reply.messages()) {
        EXPECT_LE(chat::MessageLength(message), kLength);
      }
    }
  }
}

TEST_F(WebhookBridgeTest, AProposedReadingComesWithItsTwoReplies) {
  Say("w-confirm", "empezar", "es");
  const cv1::ChatWebhookResponse proposed = Say("w-confirm", "nada de eso", "es");
  ASSERT_EQ(proposed.messages_size(), 1);
  EXPECT_THAT(proposed.messages(0), ::testing::HasSubstr("He entendido: Ninguno de estos"));
  EXPECT_EQ(proposed.confirmation().accept_label(), "Sí");
  EXPECT_EQ(proposed.confirmation().refuse_label(), "No");
  // The integrator posts the label the person picked.
  const cv1::ChatWebhookResponse next = Say("w-confirm", "Sí", "es");
  EXPECT_FALSE(next.has_confirmation());
  EXPECT_THAT(next.messages(0), ::testing::StartsWith("Ha dicho: Ninguno de estos"));
}

TEST_F(WebhookBridgeTest, ContinuesWhereItWasAfterARestart) {
  ChatOracle oracle(channel_, "es");
  oracle.Start();
  ASSERT_EQ(Messages(Say("wa:34600", "empezar")), oracle.Expected(false, kLength));
  const Answers& answers = PathsToEachLevel()[2].answers;
  for (int i = 0; i < 2; ++i) {
    const std::string numbers = oracle.NumbersText(answers);
    oracle.Answer(answers);
    ASSERT_EQ(Messages(Say("wa:34600", numbers)), oracle.Expected(false, kLength));
  }
  EXPECT_EQ(bridge_->Stop(SIGTERM), 0);
  StartBridge();
  cv1::ChatWebhookResponse reply;
  while (oracle.turn().has_question()) {
    const std::string numbers = oracle.NumbersText(answers);
    oracle.Answer(answers);
    reply = Say("wa:34600", numbers);
    ASSERT_EQ(Messages(reply), oracle.Expected(false, kLength)) << numbers;
  }
  EXPECT_EQ(reply.level(), tv1::LEVEL_SEE_DOCTOR);
}

TEST_F(WebhookBridgeTest, BadRequestsGetClearErrors) {
  EXPECT_EQ(Post("{\"user\":\"u\",\"text\":\"hi\"}", "").status, 401);
  EXPECT_EQ(Post("{\"user\":\"u\",\"text\":\"hi\"}", "wrong-token-0123456789").status, 401);
  HttpReply reply = Post("{\"user\":\"u\",");
  EXPECT_EQ(reply.status, 400);
  EXPECT_THAT(reply.body, HasSubstr("not a ChatWebhookRequest"));
  reply = Post("{\"usr\":\"u\",\"text\":\"hi\"}");
  EXPECT_EQ(reply.status, 400);
  EXPECT_THAT(reply.body, HasSubstr("usr"));
  reply = Post("{\"text\":\"hi\"}");
  EXPECT_EQ(reply.status, 400);
  EXPECT_THAT(reply.body, HasSubstr("user is missing"));
  auto raw = PostHttp(bridge_->port(), "/v1/messages", "text/plain", "hi",
                      {std::string("Authorization: Bearer ") + kToken});
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->status, 415);
  raw = PostHttp(bridge_->port(), "/v2/other", "application/json", "{}");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->status, 404);
  // Huge text, not valid UTF-8 escapes, unknown commands: answered in words.
  EXPECT_THAT(Messages(Say("u1", std::string(5000, 'a'))),
              ElementsAre("That message is too long. Please answer in a few words."));
  EXPECT_THAT(Messages(Say("u1", "/frobnicate")),
              ElementsAre(StartsWith("Sorry, I do not know that command.")));
  EXPECT_THAT(Messages(Say("u1", "ayuda")), ElementsAre(StartsWith("Esta es una consulta")));
}

// "why" / "por qué": the reason for the question on screen, then the
// question again; the conversation does not move.
TEST_F(WebhookBridgeTest, WhyExplainsTheCurrentQuestion) {
  EXPECT_THAT(Messages(Say("u3", "why")), ElementsAre(StartsWith("There is no check in progress")));
  Say("u3", "start");
  const cv1::ChatWebhookResponse why = Say("u3", "why");
  ASSERT_FALSE(Messages(why).empty());
  const std::string text = Messages(why)[0];
  const std::string reason = text.substr(0, text.find("\n\n"));
  EXPECT_FALSE(reason.empty());
  EXPECT_THAT(text, HasSubstr("Do you have any of these right now?")) << "the question follows";
  EXPECT_THAT(reason, ::testing::Not(HasSubstr("no explanation"))) << text;
  Say("u4", "empezar");
  const cv1::ChatWebhookResponse por_que = Say("u4", "¿por qué?");
  ASSERT_FALSE(Messages(por_que).empty());
  const std::string razon = Messages(por_que)[0].substr(0, Messages(por_que)[0].find("\n\n"));
  EXPECT_NE(razon, reason) << "a Spanish check explains in Spanish";
  EXPECT_THAT(razon, ::testing::Not(HasSubstr("no tiene explicación")));
}

TEST_F(WebhookBridgeTest, UnreachableBackchatIs503WithTheMessageToShow) {
  EXPECT_EQ(backchat_->Stop(SIGTERM), 0);
  const cv1::ChatWebhookResponse reply = Say("u2", "start", "es", 503);
  EXPECT_THAT(Messages(reply), ElementsAre(StartsWith("Lo sentimos, la consulta no está disponible")));
  const HttpReply raw = Post("{\"user\":\"u2\",\"text\":\"start\"}");
  EXPECT_EQ(raw.Header("retry-after"), "5");
}

TEST_F(WebhookBridgeTest, StoresNoUserId) {
  ASSERT_FALSE(Say("slack:UNIQUEUSER42", "start").messages().empty());
  EXPECT_EQ(bridge_->Stop(SIGTERM), 0);
  const std::string bytes = StateBytes(Path("webhook.db"));
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find("UNIQUEUSER42"), std::string::npos);
}

}  // namespace
}  // namespace backchat::testing
