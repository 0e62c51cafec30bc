// The Telegram bridge: the real backchat_telegram process, polling (or
// receiving the webhook of) a fake Bot API on loopback, against the real
// BackChat server.
#include <signal.h>
#include <sqlite3.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/chat/chat_strings.h"
#include "gmock/gmock.h"
#include "tests/bots/bridge_fixture.h"
#include "tests/bots/chat_oracle.h"
#include "tests/bots/fake_bot_api.h"
#include "tests/support/http_client.h"

namespace backchat::testing {
namespace {

namespace tv1 = ::backchat::triage::v1;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kToken[] = "123456:TEST-token";
constexpr char kSecret[] = "webhook-secret-0123456789";
constexpr size_t kLength = 4096;

// Rewrites the stopped bridge's state file as bridges wrote it before
// Telegram had its own table: the keyboard message id and the ticks were
// columns of the shared `chats` table. Empty if it worked, else SQLite's
// message.
std::string RewriteAsVersion1(const std::string& state_db) {
  constexpr char kSql[] = R"sql(
BEGIN;
CREATE TABLE chats_old (
  channel TEXT NOT NULL,
  chat_key TEXT NOT NULL,
  session_id TEXT NOT NULL,
  locale TEXT NOT NULL,
  question_id TEXT NOT NULL,
  multiple_choice INTEGER NOT NULL,
  keyboard_message_id INTEGER NOT NULL,
  ticked TEXT NOT NULL,
  updated_micros INTEGER NOT NULL,
  PRIMARY KEY (channel, chat_key)
) WITHOUT ROWID;
INSERT INTO chats_old
  SELECT c.channel, c.chat_key, c.session_id, c.locale, c.question_id, c.multiple_choice,
         t.keyboard_message_id, t.ticked, c.updated_micros
  FROM chats c JOIN telegram_chats t USING (chat_key);
DROP TABLE chats;
DROP TABLE telegram_chats;
ALTER TABLE chats_old RENAME TO chats;
COMMIT;
)sql";
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open(state_db.c_str(), &db) != SQLITE_OK) {
    error = sqlite3_errmsg(db);
  } else if (char* message = nullptr; sqlite3_exec(db, kSql, nullptr, nullptr, &message) != SQLITE_OK) {
    error = message == nullptr ? "failed" : message;
    sqlite3_free(message);
  }
  sqlite3_close(db);
  return error;
}

std::vector<std::string> TextsOf(const std::vector<FakeMessage>& messages, size_t from) {
  std::vector<std::string> texts;
  for (size_t i = from; i < messages.size(); ++i) texts.push_back(messages[i].text);
  return texts;
}

class TelegramBridgeTest : public BridgeTest {
 protected:
  void SetUp() override {
    BridgeTest::SetUp();
    auto api = FakeBotApi::Start(kToken);
    ASSERT_TRUE(api.ok()) << api.status();
    api_ = *std::move(api);
    WriteFile("token", kToken);
    WriteFile("secret", kSecret);
  }

  std::vector<std::string> BridgeArgs(const std::string& mode) {
    return {BACKCHAT_TELEGRAM_BINARY, "--mode=" + mode, "--token_file=" + Path("token"),
            "--api_base_url=" + api_->base_url(), "--state_db=" + Path("telegram.db"),
            absl::StrCat("--backchat_address=127.0.0.1:", backchat_port_),
            "--poll_timeout=2s", "--max_backoff=300ms", "--port=0",
            "--public_url=https://clinic.example/telegram",
            "--webhook_secret_file=" + Path("secret")};
  }

  void StartPolling() {
    auto bridge = ServerProcess::StartProgram(BridgeArgs("poll"), "polling");
    ASSERT_TRUE(bridge.ok()) << bridge.status();
    bridge_ = *std::move(bridge);
  }

  void StartWebhook() {
    auto bridge = ServerProcess::StartListening(BridgeArgs("webhook"));
    ASSERT_TRUE(bridge.ok()) << bridge.status();
    bridge_ = *std::move(bridge);
  }

  // Waits for `count` more messages to `chat` than `before`; returns the new
  // ones.
  std::vector<std::string> NewTexts(int64_t chat, size_t before, size_t count) {
    return TextsOf(api_->WaitForCount(chat, before + count), before);
  }

  // The chat's message with the current question's buttons.
  FakeMessage Keyboard(int64_t chat) {
    const std::vector<FakeMessage> messages = api_->Messages(chat);
    for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
      if (!it->buttons.empty()) return *it;
    }
    ADD_FAILURE() << "no message with buttons";
    return {};
  }

  // Answers like a person: with the buttons, or typing the numbers.
  // Checks the keyboard, the reply against the oracle, and that the
  // answered question's buttons are taken away.
  void Answer(int64_t chat, ChatOracle& oracle, const Answers& answers, bool buttons,
              const std::string& language) {
    const tv1::Question question = oracle.turn().question();
    const std::vector<int> numbers = oracle.Numbers(answers);
    const size_t before = api_->Messages(chat).size();
    const bool multiple = question.kind() == tv1::QUESTION_KIND_MULTIPLE_CHOICE;
    const FakeMessage keyboard = Keyboard(chat);
    ASSERT_EQ(keyboard.buttons.size(), question.options_size() + (multiple ? 1u : 0u));
    for (int i = 0; i < question.options_size(); ++i) {
      EXPECT_EQ(keyboard.buttons[i].text, question.options(i).label());
    }
    if (!buttons) {
      api_->SendText(chat, oracle.NumbersText(answers), language);
    } else if (!multiple) {
      api_->PressButton(chat, keyboard.message_id, absl::StrCat("a:", numbers[0]), language);
    } else {
      for (int number : numbers) {
        api_->PressButton(chat, keyboard.message_id, absl::StrCat("t:", number), language);
        const std::string ticked = absl::StrCat("\u2713 ", question.options(number - 1).label());
        api_->WaitFor(chat, [&](const std::vector<FakeMessage>& messages) {
          for (const FakeMessage& m : messages) {
            if (m.message_id != keyboard.message_id) continue;
            for (const FakeButton& b : m.buttons) {
              if (b.text == ticked) return true;
            }
          }
          return false;
        });
      }
      api_->PressButton(chat, keyboard.message_id, "d", language);
    }
    oracle.Answer(answers);
    const std::vector<std::string> expected = oracle.Expected(true, kLength);
    ASSERT_EQ(NewTexts(chat, before, expected.size()), expected);
    // The answered question's buttons are gone.
    const std::vector<FakeMessage> after = api_->WaitFor(chat, [&](const auto& messages) {
      for (const FakeMessage& m : messages) {
        if (m.message_id == keyboard.message_id) return m.buttons.empty();
      }
      return false;
    });
    for (const FakeMessage& m : after) {
      if (m.message_id == keyboard.message_id) {
        EXPECT_TRUE(m.buttons.empty());
      }
    }
  }

  std::unique_ptr<FakeBotApi> api_;
  std::unique_ptr<ServerProcess> bridge_;
};

TEST_F(TelegramBridgeTest, WholeConversationsToEachLevelWithButtonsAndTyped) {
  StartPolling();
  int64_t chat = 5000;
  for (const std::string language : {"en", "es"}) {
    for (const LevelPath& path : PathsToEachLevel()) {
      SCOPED_TRACE(absl::StrCat(language, " ", tv1::Level_Name(path.level)));
      ++chat;
      ChatOracle oracle(channel_, language);
      oracle.Start();
      // Telegram sends /start by itself; the person's app language decides.
      api_->SendText(chat, "/start", language);
      ASSERT_EQ(NewTexts(chat, 0, 1), oracle.Expected(true, kLength));
      // English with the buttons, Spanish typing the numbers.
      while (oracle.turn().has_question()) {
        Answer(chat, oracle, path.answers, language == "en", language);
        if (HasFatalFailure()) return;
      }
      EXPECT_EQ(oracle.turn().outcome().level(), path.level);
      const std::vector<FakeMessage> messages = api_->Messages(chat);
      EXPECT_THAT(messages.back().text,
                  HasSubstr(chat::LevelHeading(chat::StringsFor(language), path.level)));
      // The actions as lines of text (Telegram makes numbers tappable),
      // and the booking page, for SELF_CARE only, as a link button.
      EXPECT_THAT(messages.back().text,
                  HasSubstr(absl::StrJoin(ActionLines(language, path.level), "\n")));
      if (path.level == tv1::LEVEL_SELF_CARE) {
        ASSERT_EQ(messages.back().buttons.size(), 1u);
        EXPECT_EQ(messages.back().buttons[0].text,
                  language == "es" ? "Reservar un masaje" : "Book a massage");
        EXPECT_EQ(messages.back().buttons[0].url, language == "es"
                                                      ? "https://clinic.example/es/reservar"
                                                      : "https://clinic.example/book");
        EXPECT_EQ(messages.back().buttons[0].data, "");
      } else {
        EXPECT_TRUE(messages.back().buttons.empty()) << "only a booking is a button";
      }
    }
  }
  // Every update was delivered once: the offset moved on each time.
  for (const auto& [update, times] : api_->Deliveries()) EXPECT_EQ(times, 1) << update;
}

TEST_F(TelegramBridgeTest, ContinuesAfterARestartWithNothingHandledTwiceOrSkipped) {
  StartPolling();
  const int64_t chat = 6001;
  ChatOracle oracle(channel_, "en");
  oracle.Start();
  api_->SendText(chat, "/start");
  ASSERT_EQ(NewTexts(chat, 0, 1), oracle.Expected(true, kLength));
  const Answers& answers = PathsToEachLevel()[3].answers;
  Answer(chat, oracle, answers, true, "en");
  Answer(chat, oracle, answers, true, "en");
  EXPECT_EQ(bridge_->Stop(SIGTERM), 0);
  // Down for longer than a long poll: the fake's handler of the stopped
  // bridge's last getUpdates has given up, so it cannot count a delivery
  // to a closed connection.
  absl::SleepFor(absl::Milliseconds(2500));

  // Pressed while the bridge is down: handled once it is back.
  const size_t before = api_->Messages(chat).size();
  const FakeMessage keyboard = Keyboard(chat);
  const std::vector<int> numbers = oracle.Numbers(answers);
  api_->PressButton(chat, keyboard.message_id, absl::StrCat("a:", numbers[0]));
  oracle.Answer(answers);
  StartPolling();
  ASSERT_EQ(NewTexts(chat, before, 1), oracle.Expected(true, kLength));
  while (oracle.turn().has_question()) {
    Answer(chat, oracle, answers, true, "en");
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(oracle.turn().outcome().level(), tv1::LEVEL_SELF_CARE);
  const size_t at_outcome = api_->Messages(chat).size();
  absl::SleepFor(absl::Milliseconds(300));  // nothing more may arrive
  EXPECT_EQ(api_->Messages(chat).size(), at_outcome);
  for (const auto& [update, times] : api_->Deliveries()) EXPECT_EQ(times, 1) << update;
  // One callback answer per press, none twice.
  EXPECT_EQ(api_->Calls("answerCallbackQuery"), static_cast<int>(api_->CallbackAnswers().size()));
}

TEST_F(TelegramBridgeTest, AStateFileFromBeforeTelegramsOwnTableKeepsItsButtonsAndTicks) {
  StartPolling();
  const int64_t chat = 6101;
  api_->SendText(chat, "/start");
  ASSERT_THAT(NewTexts(chat, 0, 1), ElementsAre(StartsWith("Question 1")));
  const FakeMessage keyboard = Keyboard(chat);
  ASSERT_EQ(keyboard.buttons.size(), 8u);  // 7 options and Done
  api_->PressButton(chat, keyboard.message_id, "t:7");
  const std::string ticked = "\u2713 " + keyboard.buttons[6].text;
  api_->WaitFor(chat, [&](const std::vector<FakeMessage>& messages) {
    return !messages.empty() && messages[0].buttons.size() == 8 &&
           messages[0].buttons[6].text == ticked;
  });
  ASSERT_EQ(api_->Messages(chat)[0].buttons[6].text, ticked);
  EXPECT_EQ(bridge_->Stop(SIGTERM), 0);
  absl::SleepFor(absl::Milliseconds(2500));  // as in the restart test above
  ASSERT_EQ(RewriteAsVersion1(Path("telegram.db")), "");

  // Restarted on the old file: the same keyboard is current, with its tick.
  StartPolling();
  api_->PressButton(chat, keyboard.message_id, "d");
  ASSERT_THAT(NewTexts(chat, 1, 1), ElementsAre(AllOf(StartsWith("You said: None of these"),
                                                      HasSubstr("Question 2"))))
      << bridge_->Log();
  // And the conversation carries on with the buttons.
  const FakeMessage next = Keyboard(chat);
  EXPECT_NE(next.message_id, keyboard.message_id);
  api_->PressButton(chat, next.message_id, "a:2");
  ASSERT_THAT(NewTexts(chat, 2, 1), ElementsAre(HasSubstr("Question 3")));
}

TEST_F(TelegramBridgeTest, AProposedReadingHasYesAndNoButtons) {
  StartPolling();
  const int64_t chat = 7101;
  api_->SendText(chat, "/start");
  ASSERT_THAT(NewTexts(chat, 0, 1), ElementsAre(StartsWith("Question 1")));
  api_->SendText(chat, "nothing like that");
  ASSERT_THAT(NewTexts(chat, 1, 1), ElementsAre(AllOf(HasSubstr("I understood: None of these"),
                                                      HasSubstr("Tap Yes or No"))));
  const FakeMessage proposal = Keyboard(chat);
  ASSERT_EQ(proposal.buttons.size(), 2u);
  EXPECT_EQ(proposal.buttons[0].text, "Yes");
  EXPECT_EQ(proposal.buttons[1].text, "No");
  // No: the question again, with its options as buttons.
  api_->PressButton(chat, proposal.message_id, "n");
  ASSERT_THAT(NewTexts(chat, 2, 1), ElementsAre(HasSubstr("choose from the options")));
  EXPECT_EQ(Keyboard(chat).buttons.size(), 8u);  // 7 options and Done
  api_->SendText(chat, "nothing like that");
  ASSERT_THAT(NewTexts(chat, 3, 1), ElementsAre(HasSubstr("I understood")));
  // Yes: recorded, read back, and the next question.
  api_->PressButton(chat, Keyboard(chat).message_id, "y");
  ASSERT_THAT(NewTexts(chat, 4, 1),
              ElementsAre(AllOf(StartsWith("You said: None of these"), HasSubstr("Question 2"))));
}

TEST_F(TelegramBridgeTest, FloodControlAndServerErrorsNeverDuplicateAMessage) {
  StartPolling();
  const int64_t chat = 7001;
  api_->FailNext("sendMessage", 1, 429, 1);
  const absl::Time sent = absl::Now();
  api_->SendText(chat, "/start");
  ASSERT_THAT(NewTexts(chat, 0, 1), ElementsAre(StartsWith("Question 1 of at most")));
  EXPECT_GE(absl::Now() - sent, absl::Seconds(1)) << "retry_after was not honoured";
  EXPECT_EQ(api_->Calls("sendMessage"), 2);

  api_->FailNext("sendMessage", 2, 502);
  api_->FailNext("getUpdates", 1, 500);
  api_->SendText(chat, "7");
  ASSERT_THAT(NewTexts(chat, 1, 1),
              ElementsAre(::testing::AllOf(StartsWith("You said: None of these"),
                                           HasSubstr("Question 2 of at most"))))
      << bridge_->Log();
  EXPECT_EQ(api_->Calls("sendMessage"), 5);
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(api_->Messages(chat).size(), 2u) << "a message was sent twice";
}

TEST_F(TelegramBridgeTest, BadInputIsAnsweredAndNothingGetsStuck) {
  StartPolling();
  const int64_t chat = 8001;
  // An update the bridge cannot read, then normal ones: it skips, not stalls.
  api_->SendRawUpdate("\"message\":{\"chat\":\"not an object\",\"text\":5}");
  api_->SendPhoto(chat);
  ASSERT_THAT(NewTexts(chat, 0, 1), ElementsAre("Sorry, I can only read text messages."));
  api_->SendText(chat, std::string(5000, 'x'));
  ASSERT_THAT(NewTexts(chat, 1, 1),
              ElementsAre("That message is too long. Please answer in a few words."));
  api_->SendText(chat, "/frobnicate");
  ASSERT_THAT(NewTexts(chat, 2, 1), ElementsAre(StartsWith("Sorry, I do not know that command.")));

  api_->SendText(chat, "/start");
  ASSERT_THAT(NewTexts(chat, 3, 1), ElementsAre(StartsWith("Question 1")));
  const FakeMessage first = Keyboard(chat);
  // Unknown button data, and Done with nothing ticked.
  api_->PressButton(chat, first.message_id, "zzz");
  api_->PressButton(chat, first.message_id, "d");
  ASSERT_TRUE(api_->WaitForCallbackAnswers(2));
  EXPECT_THAT(api_->CallbackAnswers(), ElementsAre("Sorry, I do not recognise that button.",
                                                   "Choose at least one option first."));
  // Answer by typing; the first keyboard is now stale.
  api_->SendText(chat, "7");
  ASSERT_THAT(NewTexts(chat, 4, 1),
              ElementsAre(::testing::AllOf(StartsWith("You said:"), HasSubstr("Question 2"))));
  api_->PressButton(chat, first.message_id, "t:1");
  ASSERT_TRUE(api_->WaitForCallbackAnswers(3));
  EXPECT_EQ(api_->CallbackAnswers().back(), "That question has already been answered.");
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(api_->Messages(chat).size(), 5u) << "a stale button changed the conversation";
  // stop forgets the chat: a button of the old conversation is stale.
  api_->SendText(chat, "stop");
  ASSERT_THAT(NewTexts(chat, 5, 1), ElementsAre(StartsWith("Stopped.")));
}

TEST_F(TelegramBridgeTest, UnreachableBackchatSaysTryAgainAndKeepsTheMessage) {
  StartPolling();
  const int64_t chat = 9001;
  const int port = backchat_port_;
  EXPECT_EQ(backchat_->Stop(SIGTERM), 0);
  api_->SendText(chat, "/start", "es");
  ASSERT_THAT(NewTexts(chat, 0, 1),
              ElementsAre(StartsWith("Lo sentimos, la consulta no está disponible")));
  // Told once, however long it takes.
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(api_->Messages(chat).size(), 1u);
  StartBackchat(port);
  // The kept /start is handled without the person sending it again.
  ASSERT_THAT(NewTexts(chat, 1, 1), ElementsAre(StartsWith("Pregunta 1 de")));
}

TEST_F(TelegramBridgeTest, WebhookModeChecksTheSecretAndHandlesEachUpdateOnce) {
  StartWebhook();
  // The bridge registered its webhook with the secret.
  for (int i = 0; i < 100 && api_->webhook_url().empty(); ++i) absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(api_->webhook_url(), "https://clinic.example/telegram");
  EXPECT_EQ(api_->webhook_secret(), kSecret);

  const std::string update =
      "{\"update_id\":500,\"message\":{\"message_id\":1,\"from\":{\"id\":42,"
      "\"is_bot\":false,"
      "\"first_name\":\"Pat\",\"language_code\":\"es\"},\"chat\":{\"id\":42,"
      "\"type\":\"private\"},"
      "\"date\":1700000000,\"text\":\"/start\"}}";
  auto post = [&](const std::string& body, const std::vector<std::string>& headers) {
    auto reply = PostHttp(bridge_->port(), "/telegram", "application/json", body, headers);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? reply->status : 0;
  };
  const std::string good = std::string("X-Telegram-Bot-Api-Secret-Token: ") + kSecret;
  EXPECT_EQ(post(update, {}), 401);
  EXPECT_EQ(post(update, {"X-Telegram-Bot-Api-Secret-Token: wrong"}), 401);
  EXPECT_EQ(post("{\"update_id\": \"x\"", {good}), 400);
  EXPECT_EQ(post("{\"message\":{}}", {good}), 400);
  EXPECT_EQ(post(update, {good}), 200);
  EXPECT_EQ(post(update, {good}), 200);  // Telegram sending it again
  ASSERT_THAT(NewTexts(42, 0, 1), ElementsAre(StartsWith("Pregunta 1 de")));
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(api_->Messages(42).size(), 1u) << "a repeated update was handled twice";

  // The rest of a conversation through the webhook, typed.
  ChatOracle oracle(channel_, "es");
  oracle.Start();
  const Answers& answers = PathsToEachLevel()[2].answers;
  int64_t update_id = 501;
  while (oracle.turn().has_question()) {
    const size_t before = api_->Messages(42).size();
    const std::string numbers = oracle.NumbersText(answers);
    oracle.Answer(answers);
    ASSERT_EQ(post(absl::StrCat("{\"update_id\":", update_id++,
                                ",\"message\":{\"message_id\":2,\"from\":{\"id\":42,"
                                "\"language_code\":\"es\"},\"chat\":{\"id\":42},\"text\":\"",
                                numbers, "\"}}"),
                   {good}),
              200);
    ASSERT_EQ(NewTexts(42, before, 1), oracle.Expected(true, kLength)) << numbers;
  }
  EXPECT_EQ(oracle.turn().outcome().level(), tv1::LEVEL_SEE_DOCTOR);
  EXPECT_EQ(api_->Calls("getUpdates"), 0);
}

}  // namespace
}  // namespace backchat::testing
