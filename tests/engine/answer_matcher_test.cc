#include "service/engine/answer_matcher.h"

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "service/common/text_normalizer.h"
#include "service/engine/typed_words.h"
#include "service/engine/value_reader.h"
#include "tests/support/dialog_paths.h"

namespace backchat::engine {
namespace {

using Kind = MatchResult::Kind;

class AnswerMatcherTest : public ::testing::Test {
 protected:
  static const CompiledDialog& Dialog() {
    static const auto dialog =
        testing::LoadSourceDialog("dialogs/back_pain.textproto");
    return *dialog;
  }
  static const CompiledQuestion& Question(const std::string& id) {
    return Dialog().questions[Dialog().QuestionIndex(id)];
  }
  // The option ids `text` selects, "+"-joined ("confirm:" first when the
  // reading is proposed for confirmation); or the kind of failure.
  static std::string Read(const std::string& question, const std::string& text) {
    const CompiledQuestion& q = Question(question);
    const MatchResult r = MatchAnswer(q, Dialog().vocabulary, text);
    std::string prefix;
    switch (r.kind) {
      case Kind::kNotUnderstood:
        return "<not understood>";
      case Kind::kAmbiguous:
        return "<ambiguous>";
      case Kind::kExclusiveCombined:
        return "<exclusive combined>";
      case Kind::kUnsure:
        return "<unsure>";
      case Kind::kConfirm:
        prefix = "confirm:";
        break;
      case Kind::kMatched:
        break;
    }
    return prefix + absl::StrJoin(q.OptionIds(r.options), "+");
  }
};

TEST_F(AnswerMatcherTest, OptionNumbersAreAcceptedAsTheyStand) {
  EXPECT_EQ(Read("pain_location", "2"), "mid_back");
  EXPECT_EQ(Read("pain_location", " 4 "), "all_over");
  EXPECT_EQ(Read("pain_location", "5"), "<not understood>");
  EXPECT_EQ(Read("pain_location", "0"), "<not understood>");
  EXPECT_EQ(Read("pain_location", "1 2"), "<ambiguous>");
  EXPECT_EQ(Read("symptoms", "1 and 3"), "fever+night_or_rest_pain");
  EXPECT_EQ(Read("symptoms", "1, 2"), "fever+weight_loss");
  EXPECT_EQ(Read("symptoms", "1 5"), "<exclusive combined>");
}

TEST_F(AnswerMatcherTest, ExactLabelsAreAcceptedAsTheyStand) {
  EXPECT_EQ(Read("pain_location", "Lower back"), "lower_back");
  EXPECT_EQ(Read("pain_location", "LOWER BACK!!"), "lower_back");
  EXPECT_EQ(Read("cancer_history", "No."), "no");
  EXPECT_EQ(Read("cancer_history", "yes"), "yes");
  EXPECT_EQ(Read("warning_signs", "None of these"), "none");
}

TEST_F(AnswerMatcherTest, OnRedFlagQuestionsOtherWordsAreConfirmed) {
  EXPECT_EQ(Read("pain_location", "lumbar"), "confirm:lower_back");
  EXPECT_EQ(Read("pain_location", "Lúmbar"), "confirm:lower_back");
  EXPECT_EQ(Read("pain_location", "I think it's mostly my lower back, doc"), "confirm:lower_back");
  EXPECT_EQ(Read("cancer_history", "Yeah"), "confirm:yes");
  EXPECT_EQ(Read("cancer_history", "nope"), "confirm:no");
  // "None of these" typed in words is always confirmed, naming what it
  // rules out (turn_builder.h).
  EXPECT_EQ(Read("warning_signs", "no"), "confirm:none");
  EXPECT_EQ(Read("warning_signs", "nothing like that"), "confirm:none");
}

TEST_F(AnswerMatcherTest, ElsewhereWordsThatAccountForEverythingAreAccepted) {
  EXPECT_EQ(Read("pressure", "firm"), "firm");
  EXPECT_EQ(Read("pressure", "quite firm please"), "firm");
  EXPECT_EQ(Read("back_feel", "knots"), "deep_knots");
  EXPECT_EQ(Read("back_feel", "lots of knots from my job"), "confirm:deep_knots");
}

TEST_F(AnswerMatcherTest, AYesOrNoWordInsideASentenceIsNotTheAnswer) {
  // The issue that started this: "no improvement" is not "No, I'm new to
  // massage", and losing it would lose the massage-not-helping flag.
  EXPECT_EQ(Read("massage_history", "weekly massage for 8 weeks and no improvement"),
            "confirm:regular_no_relief");
  EXPECT_NE(Read("massage_history", "had loads, no improvement at all"), "confirm:new_to_massage");
}

TEST_F(AnswerMatcherTest, NegatedOptionsAreNotChosen) {
  EXPECT_EQ(Read("symptoms", "no fever"),
            "confirm:none");  // names what "none" rules out
  EXPECT_EQ(Read("symptoms", "without a fever but I have lost weight"), "confirm:weight_loss");
  EXPECT_EQ(Read("symptoms", "I don't have a fever, it's worse at night"),
            "confirm:night_or_rest_pain");
  EXPECT_EQ(Read("medical_history", "not pregnant"), "confirm:none");
}

TEST_F(AnswerMatcherTest, ACoverageGapIsNeverAcceptedSilently) {
  EXPECT_EQ(Read("symptoms", "lost 6 kg without trying and it's much worse at night"),
            "confirm:weight_loss+night_or_rest_pain");
  const std::string surgery = Read("medical_history", "disc surgery 5 weeks ago");
  EXPECT_EQ(surgery.rfind("confirm:", 0), 0u) << surgery;
}

TEST_F(AnswerMatcherTest, HedgesAreNeverAccepted) {
  EXPECT_EQ(Read("cancer_history", "no idea"), "<unsure>");
  EXPECT_EQ(Read("cancer_history", "I don't know"), "<unsure>");
  EXPECT_EQ(Read("cancer_history", "I think so"), "confirm:yes");
  EXPECT_EQ(Read("cancer_history", "probably not"), "confirm:no");
  EXPECT_EQ(Read("warning_signs", "don't think so"), "confirm:none");
  EXPECT_EQ(Read("symptoms", "maybe a fever"), "confirm:fever");
}

TEST_F(AnswerMatcherTest, MisspellingsAreReadButConfirmed) {
  EXPECT_EQ(Read("warning_signs", "numbnes in both legs"), "confirm:both_legs");
  EXPECT_EQ(Read("pressure", "firmm"), "confirm:firm");
  // A typo keeps its first letter: "gone" is not "none".
  EXPECT_EQ(Read("warning_signs", "both my legs have gone numb"), "confirm:both_legs");
}

TEST_F(AnswerMatcherTest, SeveralOptionsOfAChecklist) {
  EXPECT_EQ(Read("warning_signs", "numbness in both legs and weakness in my left arm"),
            "confirm:both_legs+one_limb");
  EXPECT_EQ(Read("symptoms", "fever and I've lost weight"), "confirm:fever+weight_loss");
}

TEST_F(AnswerMatcherTest, AnExactlyTypedPhraseBeatsAFormOfAnother) {
  // "my legs" is both legs; one_limb's "my leg" matches only by its stem.
  EXPECT_EQ(Read("warning_signs", "both my legs"), "confirm:both_legs");
  EXPECT_EQ(Read("warning_signs", "my legs"), "confirm:both_legs");
  EXPECT_EQ(Read("warning_signs", "my leg"), "confirm:one_limb");
}

TEST_F(AnswerMatcherTest, PlainDurationsAreAccepted) {
  EXPECT_EQ(Read("duration", "3 weeks"), "acute");
  EXPECT_EQ(Read("duration", "10 days"), "acute");
  EXPECT_EQ(Read("duration", "since yesterday"), "acute");
  EXPECT_EQ(Read("duration", "a week"), "acute");
  EXPECT_EQ(Read("duration", "2 months"), "subacute");
  EXPECT_EQ(Read("duration", "about eight weeks"), "subacute");
  EXPECT_EQ(Read("duration", "12 weeks"), "subacute");
  EXPECT_EQ(Read("duration", "13 weeks"), "chronic");
  EXPECT_EQ(Read("duration", "6 months"), "chronic");
  EXPECT_EQ(Read("duration", "1 year"), "chronic");
  EXPECT_EQ(Read("duration", "1.5 weeks"), "acute");
  EXPECT_EQ(Read("duration", "a month and a half"), "subacute");
  EXPECT_EQ(Read("duration", "three wks"), "acute");
  EXPECT_EQ(Read("duration", "2"), "subacute");  // An option number.
  EXPECT_EQ(Read("duration", "weeks"), "<not understood>");
}

TEST_F(AnswerMatcherTest, DurationsThatAreNotPlainAreConfirmed) {
  EXPECT_EQ(Read("duration", "2-3 months"),
            "confirm:chronic");  // across two options
  EXPECT_EQ(Read("duration", "3 weeks ago I lifted a box"), "confirm:acute");
}

TEST_F(AnswerMatcherTest, NumbersForValueQuestions) {
  EXPECT_EQ(Read("age", "45"), "age_20_to_54");
  EXPECT_EQ(Read("age", "I'm 72"), "age_70_plus");
  EXPECT_EQ(Read("age", "19 years old"), "age_under_20");
  EXPECT_EQ(Read("age", "sixty two"), "age_55_to_69");
  EXPECT_EQ(Read("age", "55"), "age_55_to_69");
  EXPECT_EQ(Read("age", "3"), "age_55_to_69");            // An option number.
  EXPECT_EQ(Read("age", "3 weeks"), "<not understood>");  // not an age
  EXPECT_EQ(Read("age", "nearly 55"), "confirm:age_55_to_69");
  EXPECT_EQ(Read("age", "in my 60s"), "age_55_to_69");          // 60 to 69: one option
  EXPECT_EQ(Read("age", "in my 50s"), "confirm:age_55_to_69");  // across two
  EXPECT_EQ(Read("age", "between 40 and 50"), "<not understood>");
}

TEST_F(AnswerMatcherTest, NothingMatches) {
  EXPECT_EQ(Read("pain_location", ""), "<not understood>");
  EXPECT_EQ(Read("pain_location", "?!"), "<not understood>");
  EXPECT_EQ(Read("pain_location", "purple"), "<not understood>");
  EXPECT_EQ(Read("cancer_history", std::string(5000, 'x')), "<not understood>");
}

TEST_F(AnswerMatcherTest, ConfirmationWords) {
  const CompiledVocabulary& v = Dialog().vocabulary;
  EXPECT_EQ(ReadConfirmationWord(v, "Yes"), ConfirmationWord::kAccept);
  EXPECT_EQ(ReadConfirmationWord(v, "yep, that's right"), ConfirmationWord::kOther);
  EXPECT_EQ(ReadConfirmationWord(v, "that's right"), ConfirmationWord::kAccept);
  EXPECT_EQ(ReadConfirmationWord(v, "nope"), ConfirmationWord::kRefuse);
  EXPECT_EQ(ReadConfirmationWord(v, "lower back"), ConfirmationWord::kOther);
}

TEST(ReadDurationTest, SumsPairsReadsRangesAndPhrases) {
  const auto dialog = testing::LoadSourceDialog("dialogs/back_pain.textproto");
  const CompiledQuestion& question = dialog->questions[dialog->QuestionIndex("duration")];
  auto days = [&](const std::string& text) -> std::pair<double, double> {
    auto read =
        ReadDuration(ReadTypedWords(question, dialog->vocabulary, text), dialog->vocabulary);
    if (!read) return {-1, -1};
    return {read->low, read->high};
  };
  EXPECT_EQ(days("1 year and 2 months"), std::make_pair(365.0 + 60, 365.0 + 60));
  EXPECT_EQ(days("a couple of weeks"), std::make_pair(7.0, 14.0));
  EXPECT_EQ(days("couple weeks"), std::make_pair(14.0, 14.0));
  EXPECT_EQ(days("2-3 months"), std::make_pair(60.0, 90.0));
  EXPECT_EQ(days("three wks"), std::make_pair(21.0, 21.0));
  EXPECT_EQ(days("4 mths"), std::make_pair(120.0, 120.0));
  EXPECT_EQ(days("since last week"), std::make_pair(7.0, 7.0));
  EXPECT_EQ(days("since monday"), std::make_pair(7.0, 7.0));
  EXPECT_EQ(days("today"), std::make_pair(0.0, 0.0));
  EXPECT_EQ(days("nothing here"), std::make_pair(-1.0, -1.0));
}

TEST(ReadNumberTest, DigitsAndNumberWords) {
  const auto dialog = testing::LoadSourceDialog("dialogs/back_pain.textproto");
  const CompiledQuestion& question = dialog->questions[dialog->QuestionIndex("age")];
  auto number = [&](const std::string& text) -> double {
    auto read = ReadNumber(ReadTypedWords(question, dialog->vocabulary, text), dialog->vocabulary);
    return read ? read->high : -1;
  };
  EXPECT_EQ(number("I'm 45"), 45);
  EXPECT_EQ(number("sixty two"), 62);
  EXPECT_EQ(number("sixty-two years old"), 62);
  EXPECT_EQ(number("a 45 year old"), 45);  // "a" counts only alone
  EXPECT_EQ(number("45 or 46"), -1);       // two numbers: not one age
  EXPECT_EQ(number("old"), -1);
}

}  // namespace
}  // namespace backchat::engine
