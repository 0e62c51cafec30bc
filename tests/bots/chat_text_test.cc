// The shared chat rendering, splitting and commands.
#include "client/chat/chat_commands.h"
#include "client/chat/message_splitter.h"
#include "client/chat/turn_text.h"
#include "client/bots/telegram/telegram_messages.h"
#include "client/common/action_text.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backchat::chat {
namespace {

namespace tv1 = ::backchat::triage::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

tv1::Turn Question(const std::string& locale, tv1::QuestionKind kind) {
  tv1::Turn turn;
  turn.set_locale(locale);
  tv1::Question* q = turn.mutable_question();
  q->set_id("duration");
  q->set_text("How long have you had this pain?");
  q->set_help("Count from when it started.");
  q->set_kind(kind);
  q->mutable_progress()->set_answered(2);
  q->mutable_progress()->set_remaining_at_most(7);
  for (const char* label : {"Under 6 weeks", "6 to 12 weeks", "Over 12 weeks"}) {
    q->add_options()->set_label(label);
  }
  return turn;
}

tv1::Turn Outcome(tv1::Level level) {
  tv1::Turn turn;
  turn.set_locale("en");
  turn.set_notice("Answer recorded.");
  tv1::Outcome* o = turn.mutable_outcome();
  o->set_level(level);
  o->set_headline("Call emergency services now.");
  o->set_next_steps("Do not book a massage.");
  o->add_red_flags()->set_reason("Numbness in both legs");
  o->set_disclaimer("Not a diagnosis.");
  return turn;
}

TEST(TurnTextTest, QuestionHasProgressNumberedOptionsAndHowToAnswer) {
  const std::string text = TurnText(Question("en", tv1::QUESTION_KIND_SINGLE_CHOICE), false);
  EXPECT_EQ(text,
            "Question 3 of at most 9\n"
            "How long have you had this pain?\n"
            "Count from when it started.\n"
            "\n"
            "1. Under 6 weeks\n"
            "2. 6 to 12 weeks\n"
            "3. Over 12 weeks\n"
            "\n"
            "Reply with a number, or in your own words.");
}

TEST(TurnTextTest, HintFitsTheKindOfQuestionAndTheChannel) {
  EXPECT_THAT(TurnText(Question("en", tv1::QUESTION_KIND_MULTIPLE_CHOICE), false),
              HasSubstr("one or more numbers (e.g. 1 3)"));
  EXPECT_THAT(TurnText(Question("en", tv1::QUESTION_KIND_SINGLE_CHOICE), true),
              HasSubstr("Tap an option"));
  EXPECT_THAT(TurnText(Question("en", tv1::QUESTION_KIND_MULTIPLE_CHOICE), true),
              HasSubstr("then Done"));
}

TEST(TurnTextTest, SpanishTurnsGetSpanishFrame) {
  const std::string text = TurnText(Question("es", tv1::QUESTION_KIND_SINGLE_CHOICE), false);
  EXPECT_THAT(text, StartsWith("Pregunta 3 de 9 como máximo\n"));
  EXPECT_THAT(text, HasSubstr("Responda con un número"));
  EXPECT_THAT(TurnText(Question("es-MX", tv1::QUESTION_KIND_SINGLE_CHOICE), false),
              StartsWith("Pregunta"));
}

TEST(TurnTextTest, EmergencyInstructionComesBeforeAnythingElse) {
  const std::string text = TurnText(Outcome(tv1::LEVEL_EMERGENCY), true);
  EXPECT_THAT(text, StartsWith("EMERGENCY: Call emergency services now.\n"));
  // The notice goes after the outcome, never before the instruction.
  EXPECT_GT(text.find("Answer recorded."), text.find("Not a diagnosis."));
  EXPECT_THAT(text, HasSubstr("Why:\n- Numbness in both legs"));
  EXPECT_THAT(text, HasSubstr("Send \"start\" to begin a new check."));
}

TEST(TurnTextTest, EveryLevelIsNamedFirst) {
  EXPECT_THAT(TurnText(Outcome(tv1::LEVEL_URGENT), false), StartsWith("URGENT: "));
  EXPECT_THAT(TurnText(Outcome(tv1::LEVEL_SEE_DOCTOR), false), StartsWith("SEE A DOCTOR FIRST: "));
  EXPECT_THAT(TurnText(Outcome(tv1::LEVEL_SELF_CARE), false), StartsWith("MASSAGE CAN HELP: "));
  // An unknown level reads as the most urgent.
  EXPECT_THAT(TurnText(Outcome(tv1::LEVEL_UNSPECIFIED), false), StartsWith("EMERGENCY: "));
}

void AddAction(tv1::Turn* turn, tv1::ActionKind kind, const std::string& label,
               const std::string& target, const std::string& display) {
  tv1::OutcomeAction* action = turn->mutable_outcome()->add_actions();
  action->set_kind(kind);
  action->set_label(label);
  action->set_target(target);
  action->set_display(display);
}

TEST(ActionTextTest, ACallShowsItsLabelABookingItsAddressToo) {
  tv1::OutcomeAction call;
  call.set_kind(tv1::ACTION_KIND_CALL_EMERGENCY);
  call.set_label("Call 999 now");
  call.set_target("tel:999");
  call.set_display("999");
  EXPECT_EQ(client::ActionLine(call), "Call 999 now");
  tv1::OutcomeAction book;
  book.set_kind(tv1::ACTION_KIND_BOOK);
  book.set_label("Book a massage");
  book.set_target("https://clinic.example/book");
  book.set_display("https://clinic.example/book");
  EXPECT_EQ(client::ActionLine(book), "Book a massage: https://clinic.example/book");
}

TEST(TurnTextTest, ActionsComeRightAfterTheNextSteps) {
  tv1::Turn emergency = Outcome(tv1::LEVEL_EMERGENCY);
  AddAction(&emergency, tv1::ACTION_KIND_CALL_EMERGENCY, "Call 999 now", "tel:999", "999");
  EXPECT_THAT(TurnText(emergency, false),
              StartsWith("EMERGENCY: Call emergency services now.\nDo not book a massage.\n\n"
                         "Call 999 now\n\nWhy:\n- Numbness in both legs"));

  tv1::Turn self_care = Outcome(tv1::LEVEL_SELF_CARE);
  AddAction(&self_care, tv1::ACTION_KIND_BOOK, "Book a massage", "https://clinic.example/book",
            "https://clinic.example/book");
  AddAction(&self_care, tv1::ACTION_KIND_CALL_CLINIC, "Call the clinic: +44 20 7946 0000",
            "tel:+442079460000", "+44 20 7946 0000");
  EXPECT_THAT(TurnText(self_care, true),
              HasSubstr("Do not book a massage.\n\nBook a massage: https://clinic.example/book\n"
                        "Call the clinic: +44 20 7946 0000\n\n"));
  // No actions, no empty lines for them.
  EXPECT_THAT(TurnText(Outcome(tv1::LEVEL_URGENT), false),
              HasSubstr("Do not book a massage.\n\nWhy:"));
}

TEST(TelegramKeyboardTest, TheBookingPageIsAUrlButtonCallsAreNot) {
  tv1::Turn self_care = Outcome(tv1::LEVEL_SELF_CARE);
  EXPECT_FALSE(telegram::OutcomeKeyboard(self_care.outcome()).has_value());
  AddAction(&self_care, tv1::ACTION_KIND_BOOK, "Reservar un \"masaje\"",
            "https://clinic.example/es/reservar", "https://clinic.example/es/reservar");
  AddAction(&self_care, tv1::ACTION_KIND_CALL_CLINIC, "Llame a la clínica: 910", "tel:910",
            "910");
  const std::optional<telegram::InlineKeyboardMarkup> keyboard =
      telegram::OutcomeKeyboard(self_care.outcome());
  ASSERT_TRUE(keyboard.has_value());
  // One row of one URL button, read back as Telegram reads the JSON.
  telegram::InlineKeyboardMarkup sent;
  ASSERT_TRUE(telegram::ParseBotApiJson(telegram::BotApiJson(*keyboard), &sent).ok());
  ASSERT_EQ(sent.inline_keyboard_size(), 1);
  ASSERT_EQ(sent.inline_keyboard(0).values_size(), 1);
  const auto& button = sent.inline_keyboard(0).values(0).struct_value().fields();
  EXPECT_EQ(button.size(), 2u);
  EXPECT_EQ(button.at("text").string_value(), "Reservar un \"masaje\"");
  EXPECT_EQ(button.at("url").string_value(), "https://clinic.example/es/reservar");
  tv1::Turn emergency = Outcome(tv1::LEVEL_EMERGENCY);
  AddAction(&emergency, tv1::ACTION_KIND_CALL_EMERGENCY, "Call 999 now", "tel:999", "999");
  EXPECT_FALSE(telegram::OutcomeKeyboard(emergency.outcome()).has_value());
}

TEST(TurnTextTest, SelfCarePlanIsListed) {
  tv1::Turn turn = Outcome(tv1::LEVEL_SELF_CARE);
  tv1::SelfCarePlan* plan = turn.mutable_outcome()->mutable_self_care();
  plan->mutable_technique()->set_name("Swedish massage");
  plan->set_frequency("2-3 times per week");
  plan->set_session_length("60 minutes");
  plan->add_before_session("Drink water");
  plan->add_watch_for("Numbness");
  const std::string text = TurnText(turn, false);
  EXPECT_THAT(text, HasSubstr("Technique: Swedish massage"));
  EXPECT_THAT(text, HasSubstr("How often: 2-3 times per week"));
  EXPECT_THAT(text, HasSubstr("Session length: 60 minutes"));
  EXPECT_THAT(text, HasSubstr("Before a session:\n- Drink water"));
  EXPECT_THAT(text, HasSubstr("See a doctor if:\n- Numbness"));
}

TEST(MessageSplitterTest, ShortTextIsOneMessage) {
  EXPECT_THAT(SplitMessage("  hello there \n", 100), ElementsAre("hello there"));
  EXPECT_TRUE(SplitMessage("", 100).empty());
  EXPECT_TRUE(SplitMessage(" \n ", 100).empty());
}

TEST(MessageSplitterTest, PrefersParagraphsThenLinesThenWords) {
  EXPECT_THAT(SplitMessage("aaa bbb\n\nccc ddd", 12), ElementsAre("aaa bbb", "ccc ddd"));
  EXPECT_THAT(SplitMessage("aaa bbb\nccc ddd", 12), ElementsAre("aaa bbb", "ccc ddd"));
  EXPECT_THAT(SplitMessage("aaa bbb ccc ddd", 8), ElementsAre("aaa bbb", "ccc ddd"));
  // A break right after the window counts.
  EXPECT_THAT(SplitMessage("aaaa bbbb", 4), ElementsAre("aaaa", "bbbb"));
}

TEST(MessageSplitterTest, NeverBreaksAWordThatFits) {
  std::string text;
  for (int i = 0; i < 500; ++i) absl::StrAppend(&text, "word", i, i % 9 == 0 ? "\n" : " ");
  for (size_t limit : {size_t{20}, size_t{61}, size_t{160}, size_t{1600}}) {
    std::vector<std::string> words;
    for (const std::string& message : SplitMessage(text, limit)) {
      EXPECT_LE(MessageLength(message), limit);
      for (absl::string_view word : absl::StrSplit(message, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
        words.emplace_back(word);
      }
    }
    ASSERT_EQ(words.size(), 500u) << limit;
    for (int i = 0; i < 500; ++i) EXPECT_EQ(words[i], absl::StrCat("word", i));
  }
}

TEST(MessageSplitterTest, CountsUtf16UnitsAndKeepsCharactersWhole) {
  EXPECT_EQ(MessageLength("añ"), 2u);
  EXPECT_EQ(MessageLength("\xF0\x9F\x98\x80"), 2u);  // an emoji: a surrogate pair
  // A word longer than the limit is cut, but never inside a character.
  const std::string long_word = "ñññññññññ";
  for (const std::string& part : SplitMessage(long_word, 4)) {
    EXPECT_TRUE(IsValidUtf8(part));
    EXPECT_LE(MessageLength(part), 4u);
  }
  EXPECT_THAT(SplitMessage(long_word, 4), ElementsAre("ññññ", "ññññ", "ñ"));
}

TEST(MessageSplitterTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("Sí, atrás \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));              // cut short
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(ChatCommandsTest, WordsInEachLanguage) {
  struct Case {
    const char* text;
    CommandKind kind;
    const char* locale;
  };
  for (const Case& c : std::vector<Case>{
           {"start", CommandKind::kStart, "en"},
           {"  Restart! ", CommandKind::kRestart, "en"},
           {"BACK", CommandKind::kBack, "en"},
           {"help", CommandKind::kHelp, "en"},
           {"stop", CommandKind::kStop, "en"},
           {"Empezar", CommandKind::kStart, "es"},
           {"reiniciar", CommandKind::kRestart, "es"},
           {"atrás", CommandKind::kBack, "es"},
           {"atras", CommandKind::kBack, "es"},
           {"Ayuda", CommandKind::kHelp, "es"},
           {"parar", CommandKind::kStop, "es"},
           {"why?", CommandKind::kWhy, "en"},
           {"¿Por qué?", CommandKind::kWhy, "es"},
           {"porque", CommandKind::kWhy, "es"},
       }) {
    const std::optional<ChatCommand> command = ParseChatCommand(c.text);
    ASSERT_TRUE(command.has_value()) << c.text;
    EXPECT_EQ(command->kind, c.kind) << c.text;
    EXPECT_EQ(command->locale, c.locale) << c.text;
    EXPECT_FALSE(command->slash) << c.text;
  }
}

TEST(ChatCommandsTest, SlashFormsAsTelegramSendsThem) {
  for (const char* text : {"/start", "/start@ClinicBot", "/start campaign42", "/START"}) {
    const std::optional<ChatCommand> command = ParseChatCommand(text);
    ASSERT_TRUE(command.has_value()) << text;
    EXPECT_EQ(command->kind, CommandKind::kStart) << text;
    EXPECT_TRUE(command->slash) << text;
  }
  EXPECT_EQ(ParseChatCommand("/ayuda")->kind, CommandKind::kHelp);
  EXPECT_EQ(ParseChatCommand("/frobnicate")->kind, CommandKind::kUnknown);
  EXPECT_EQ(ParseChatCommand("/")->kind, CommandKind::kUnknown);
}

TEST(ChatCommandsTest, AnswersAreNotCommands) {
  for (const char* text : {"2", "1 3", "my lower back", "about 3 weeks", "yes", "start of the week",
                           "no, stop asking"}) {
    EXPECT_FALSE(ParseChatCommand(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace backchat::chat
