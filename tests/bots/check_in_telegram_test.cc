// Safety netting on Telegram, through the real bridge process (polling the
// fake Bot API) and the real server: the offer with Yes and No buttons, the
// check-in with four, answered by button or typed, in English and Spanish;
// once across a restart, and never after "stop".
#include <signal.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "client/chat/chat_strings.h"
#include "client/chat/check_ins.h"
#include "gmock/gmock.h"
#include "tests/bots/check_in_fixture.h"
#include "tests/bots/fake_bot_api.h"

namespace backchat::testing {
namespace {

namespace tv1 = ::backchat::triage::v1;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kBotToken[] = "123456:TEST-token";

class TelegramCheckInTest : public CheckInTest {
 protected:
  void SetUp() override {
    CheckInTest::SetUp();
    auto api = FakeBotApi::Start(kBotToken);
    ASSERT_TRUE(api.ok()) << api.status();
    api_ = *std::move(api);
    WriteFile("bot_token", kBotToken);
    StartBridge();
  }

  void StartBridge() {
    std::vector<std::string> args = {
        BACKCHAT_TELEGRAM_BINARY, "--token_file=" + Path("bot_token"),
        "--api_base_url=" + api_->base_url(), "--state_db=" + Path("telegram.db"),
        absl::StrCat("--backchat_address=127.0.0.1:", backchat_port_), "--poll_timeout=2s",
        "--max_backoff=300ms"};
    for (const std::string& flag : CheckInFlags()) args.push_back(flag);
    auto bridge = ServerProcess::StartProgram(args, "polling");
    ASSERT_TRUE(bridge.ok()) << bridge.status();
    bridge_ = *std::move(bridge);
  }

  // Waits (bounded) for a message to `chat` whose text starts with
  // `prefix`, after the first `after` messages; returns it, or an empty
  // message after a test failure.
  FakeMessage WaitForText(int64_t chat, absl::string_view prefix, size_t after = 0) {
    auto find = [&](const std::vector<FakeMessage>& all) -> const FakeMessage* {
      for (size_t i = after; i < all.size(); ++i) {
        if (absl::StartsWith(all[i].text, prefix)) return &all[i];
      }
      return nullptr;
    };
    const std::vector<FakeMessage> messages =
        api_->WaitFor(chat, [&](const auto& all) { return find(all) != nullptr; });
    if (const FakeMessage* found = find(messages)) return *found;
    ADD_FAILURE() << "no message starting \"" << prefix << "\" to chat " << chat;
    return {};
  }

  // Talks `chat` through to `level` in `language`, typing the numbers;
  // returns the offer's message (the last one).
  FakeMessage Triage(int64_t chat, tv1::Level level, const std::string& language = "en") {
    ChatOracle oracle(channel_, language);
    oracle.Start();
    // A message is an answer to the question the chat had seen when it
    // was sent: each waits for the question before.
    api_->SendText(chat, "/start", language);
    WaitForText(chat, "", api_->Messages(chat).size());
    while (oracle.turn().has_question()) {
      const size_t before = api_->Messages(chat).size();
      const std::string numbers = oracle.NumbersText(PathTo(level).answers);
      oracle.Answer(PathTo(level).answers);
      api_->SendText(chat, numbers, language);
      if (oracle.turn().has_question()) {
        // The reply ends with the next question's text.
        api_->WaitFor(chat, [&](const std::vector<FakeMessage>& all) {
          return all.size() > before &&
                 absl::StrContains(all.back().text, oracle.turn().question().text());
        });
      }
    }
    const std::string offer =
        absl::Substitute(chat::StringsFor(language).check_in_offer, 3);
    return WaitForText(chat, offer);
  }

  // How many check-ins `chat` was sent.
  int CheckInsTo(int64_t chat, const std::string& language = "en") {
    int count = 0;
    for (const FakeMessage& message : api_->Messages(chat)) {
      count += absl::StartsWith(message.text, chat::StringsFor(language).check_in_question);
    }
    return count;
  }

  std::unique_ptr<FakeBotApi> api_;
  std::unique_ptr<ServerProcess> bridge_;
};

TEST_F(TelegramCheckInTest, TheOfferHasYesAndNoAndTheCheckInFourButtons) {
  constexpr int64_t kChat = 4242;
  const FakeMessage offer = Triage(kChat, tv1::LEVEL_SELF_CARE);
  // Its own message, after the outcome, which keeps its booking button.
  const std::vector<FakeMessage> before = api_->Messages(kChat);
  ASSERT_GE(before.size(), 2u);
  EXPECT_THAT(before[before.size() - 2].text,
              HasSubstr(chat::LevelHeading(chat::StringsFor("en"), tv1::LEVEL_SELF_CARE)));
  ASSERT_EQ(before[before.size() - 2].buttons.size(), 1u);
  EXPECT_EQ(before[before.size() - 2].buttons[0].text, "Book a massage");
  ASSERT_EQ(offer.buttons.size(), 2u);
  EXPECT_EQ(offer.buttons[0].text, "Yes");
  EXPECT_EQ(offer.buttons[0].data, "o:y");
  EXPECT_EQ(offer.buttons[1].text, "No");
  EXPECT_EQ(offer.buttons[1].data, "o:n");
  api_->PressButton(kChat, offer.message_id, "o:y");
  WaitForText(kChat, "Thank you. We will ask how you are in 3 days");
  // Answered: the offer's buttons are gone, and pressing again is stale.
  api_->WaitFor(kChat, [&](const std::vector<FakeMessage>& all) {
    for (const FakeMessage& m : all) {
      if (m.message_id == offer.message_id) return m.buttons.empty();
    }
    return false;
  });
  api_->PressButton(kChat, offer.message_id, "o:n");
  ASSERT_TRUE(api_->WaitForCallbackAnswers(2));
  EXPECT_EQ(api_->CallbackAnswers().back(), "That question has already been answered.");

  const FakeMessage check_in = WaitForText(kChat, "How is your back now?");
  EXPECT_EQ(check_in.text, chat::CheckInMessage("en"));
  ASSERT_EQ(check_in.buttons.size(), 4u);
  EXPECT_EQ(check_in.buttons[3].text, "New symptoms");
  EXPECT_EQ(check_in.buttons[3].data, "c:4");
  // "New symptoms": a new check there and then, red-flag questions first.
  const size_t sent = api_->Messages(kChat).size();
  api_->PressButton(kChat, check_in.message_id, "c:4");
  ChatOracle again(channel_, "en");
  again.Start();
  const FakeMessage restarted = WaitForText(kChat, chat::StringsFor("en").check_in_again, sent);
  EXPECT_THAT(restarted.text, HasSubstr(again.turn().question().text()));
  EXPECT_EQ(CheckInsAnswered(tv1::CHECK_IN_ANSWER_NEW_SYMPTOMS), 1);
}

TEST_F(TelegramCheckInTest, BetterByButtonAndTheSameTypedAreRecordedWithTheSignsToWatch) {
  const std::string& signs = chat::StringsFor("en").check_in_well;
  constexpr int64_t kBetter = 5101;
  constexpr int64_t kSame = 5102;
  Triage(kBetter, tv1::LEVEL_SELF_CARE);
  api_->SendText(kBetter, "yes");  // typed, as before the buttons
  Triage(kSame, tv1::LEVEL_SEE_DOCTOR);
  api_->PressButton(kSame, api_->Messages(kSame).back().message_id, "o:y");

  const FakeMessage better = WaitForText(kBetter, "How is your back now?");
  size_t sent = api_->Messages(kBetter).size();
  api_->PressButton(kBetter, better.message_id, "c:1");
  EXPECT_EQ(WaitForText(kBetter, signs, sent).text, signs);

  WaitForText(kSame, "How is your back now?");
  sent = api_->Messages(kSame).size();
  api_->SendText(kSame, "the same");
  EXPECT_EQ(WaitForText(kSame, signs, sent).text, signs);

  EXPECT_EQ(CheckInsAnswered(tv1::CHECK_IN_ANSWER_BETTER), 1);
  EXPECT_EQ(CheckInsAnswered(tv1::CHECK_IN_ANSWER_SAME), 1);
}

TEST_F(TelegramCheckInTest, ARestartBetweenTheYesAndTheSendSendsExactlyOne) {
  constexpr int64_t kChat = 5201;
  const FakeMessage offer = Triage(kChat, tv1::LEVEL_SELF_CARE);
  api_->PressButton(kChat, offer.message_id, "o:y");
  WaitForText(kChat, "Thank you. We will ask how you are");
  // Stopped before the check-in is due: the new process sends it, once.
  ASSERT_EQ(bridge_->Stop(SIGTERM), 0);
  EXPECT_EQ(CheckInsTo(kChat), 0);
  StartBridge();
  WaitForText(kChat, "How is your back now?");
  absl::SleepFor(kWellPastDue);
  EXPECT_EQ(CheckInsTo(kChat), 1);
}

TEST_F(TelegramCheckInTest, StopCancelsAPendingCheckIn) {
  constexpr int64_t kStopped = 5301;
  constexpr int64_t kKept = 5302;
  Triage(kStopped, tv1::LEVEL_SELF_CARE);
  api_->SendText(kStopped, "yes");
  WaitForText(kStopped, "Thank you. We will ask how you are");
  api_->SendText(kStopped, "stop");
  WaitForText(kStopped, "Stopped.");
  Triage(kKept, tv1::LEVEL_SELF_CARE);
  api_->SendText(kKept, "yes");
  // The kept one is sent: the schedule runs, and still nothing for "stop".
  WaitForText(kKept, "How is your back now?");
  absl::SleepFor(kWellPastDue);
  EXPECT_EQ(CheckInsTo(kStopped), 0);
  EXPECT_EQ(CheckInsTo(kKept), 1);
}

TEST_F(TelegramCheckInTest, InSpanishFromTheOfferToANewCheck) {
  constexpr int64_t kChat = 5401;
  const chat::ChatStrings& es = chat::StringsFor("es");
  const FakeMessage offer = Triage(kChat, tv1::LEVEL_SELF_CARE, "es");
  EXPECT_EQ(offer.text,
            "¿Podemos escribirle dentro de 3 días para preguntarle por su espalda? "
            "Responda sí o no.");
  ASSERT_EQ(offer.buttons.size(), 2u);
  EXPECT_EQ(offer.buttons[0].text, "Sí");
  EXPECT_EQ(offer.buttons[1].text, "No");
  api_->SendText(kChat, "sí", "es");
  WaitForText(kChat, "Gracias. Le preguntaremos cómo está dentro de 3 días.");
  const FakeMessage check_in = WaitForText(kChat, "¿Cómo está su espalda ahora?");
  EXPECT_EQ(check_in.text, chat::CheckInMessage("es"));
  ASSERT_EQ(check_in.buttons.size(), 4u);
  EXPECT_EQ(check_in.buttons[2].text, "Peor");
  // "peor", typed: a new check in Spanish, red-flag questions first.
  const size_t sent = api_->Messages(kChat).size();
  api_->SendText(kChat, "peor", "es");
  ChatOracle again(channel_, "es");
  again.Start();
  const FakeMessage restarted = WaitForText(kChat, es.check_in_again, sent);
  EXPECT_THAT(restarted.text, StartsWith("Volvamos a revisarlo"));
  EXPECT_THAT(restarted.text, HasSubstr(again.turn().question().text()));
  EXPECT_EQ(CheckInsAnswered(tv1::CHECK_IN_ANSWER_WORSE), 1);
}

}  // namespace
}  // namespace backchat::testing
