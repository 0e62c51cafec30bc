#include "service/engine/answer_matcher.h"

#include "gtest/gtest.h"
#include "service/engine/text_normalizer.h"
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
  // The option ids `text` selects, "+"-joined; or the kind of failure.
  static std::string Read(const std::string& question, const std::string& text) {
    const CompiledQuestion& q = Question(question);
    const MatchResult r = MatchAnswer(q, Dialog().vocabulary, text);
    switch (r.kind) {
      case Kind::kNotUnderstood: return "<not understood>";
      case Kind::kAmbiguous: return "<ambiguous>";
      case Kind::kExclusiveCombined: return "<exclusive combined>";
      case Kind::kUnsure: return "<unsure>";
      case Kind::kMatched: break;
    }
    std::string ids;
    for (size_t o = 0; o < q.options.size(); ++o) {
      if ((r.options >> o) & 1) ids += (ids.empty() ? "" : "+") + q.options[o].id;
    }
    return ids;
  }
};

TEST_F(AnswerMatcherTest, OptionNumbers) {
  EXPECT_EQ(Read("pain_location", "2"), "mid_back");
  EXPECT_EQ(Read("pain_location", " 4 "), "all_over");
  EXPECT_EQ(Read("pain_location", "5"), "<not understood>");
  EXPECT_EQ(Read("pain_location", "0"), "<not understood>");
  EXPECT_EQ(Read("pain_location", "1 2"), "<ambiguous>");
  EXPECT_EQ(Read("symptoms", "1 and 3"), "fever+night_or_rest_pain");
  EXPECT_EQ(Read("symptoms", "1, 2"), "fever+weight_loss");
  EXPECT_EQ(Read("symptoms", "1 5"), "<exclusive combined>");
}

TEST_F(AnswerMatcherTest, LabelsAndSynonymsIgnoringCaseAccentsAndSurroundingWords) {
  EXPECT_EQ(Read("pain_location", "Lower back"), "lower_back");
  EXPECT_EQ(Read("pain_location", "LOWER BACK!!"), "lower_back");
  EXPECT_EQ(Read("pain_location", "I think it's mostly my lower back, doc"), "lower_back");
  EXPECT_EQ(Read("pain_location", "between my shoulder blades"), "mid_back");
  EXPECT_EQ(Read("pain_location", "lumbar"), "lower_back");
  EXPECT_EQ(Read("pain_location", "Lúmbar"), "lower_back");
  EXPECT_EQ(Read("massage_history", "It HELPED a lot"), "massage_helped");
  EXPECT_EQ(Read("massage_history", "it didn’t shift"), "lighter_not_enough");
}

TEST_F(AnswerMatcherTest, YesAndNoWords) {
  EXPECT_EQ(Read("cancer_history", "yes"), "yes");
  EXPECT_EQ(Read("cancer_history", "Yeah"), "yes");
  EXPECT_EQ(Read("cancer_history", "y"), "yes");
  EXPECT_EQ(Read("cancer_history", "nope"), "no");
  EXPECT_EQ(Read("cancer_history", "No."), "no");
  EXPECT_EQ(Read("cancer_history", "no, never"), "no");
  EXPECT_EQ(Read("cancer_history", "yes and no"), "<ambiguous>");
}

TEST_F(AnswerMatcherTest, NoneOfAChecklist) {
  EXPECT_EQ(Read("warning_signs", "no"), "none");
  EXPECT_EQ(Read("warning_signs", "none of these"), "none");
  EXPECT_EQ(Read("warning_signs", "no fever"), "none");  // "fever" is not on this list.
  EXPECT_EQ(Read("symptoms", "no fever"), "<exclusive combined>");
}

TEST_F(AnswerMatcherTest, SeveralOptionsOfAChecklist) {
  EXPECT_EQ(Read("warning_signs", "numbness in both legs and pins and needles in one arm"),
            "both_legs+one_limb");
  EXPECT_EQ(Read("symptoms", "fever and I've lost weight"), "fever+weight_loss");
}

TEST_F(AnswerMatcherTest, LongerPhraseBeatsTheShorterOneInsideIt) {
  // "both legs" contains nothing of one_limb, but "my leg" would match
  // one_limb if "both my legs" did not win.
  EXPECT_EQ(Read("warning_signs", "both my legs"), "both_legs");
}

TEST_F(AnswerMatcherTest, Durations) {
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
  EXPECT_EQ(Read("duration", "less than 6 weeks"), "acute");
  EXPECT_EQ(Read("duration", "more than 12 weeks"), "chronic");
  EXPECT_EQ(Read("duration", "2"), "subacute");  // An option number.
  EXPECT_EQ(Read("duration", "for a while"), "<not understood>");
  EXPECT_EQ(Read("duration", "weeks"), "<not understood>");
}

TEST_F(AnswerMatcherTest, NumbersForValueQuestions) {
  EXPECT_EQ(Read("age", "45"), "age_20_to_54");
  EXPECT_EQ(Read("age", "I'm 72"), "age_70_plus");
  EXPECT_EQ(Read("age", "19 years old"), "age_under_20");
  EXPECT_EQ(Read("age", "55"), "age_55_to_69");
  EXPECT_EQ(Read("age", "3"), "age_55_to_69");  // An option number.
  EXPECT_EQ(Read("age", "between 40 and 50"), "<not understood>");
}

TEST_F(AnswerMatcherTest, UnsureIsNeverReadAsAnOption) {
  EXPECT_EQ(Read("cancer_history", "no idea"), "<unsure>");
  EXPECT_EQ(Read("cancer_history", "I don't know"), "<unsure>");
  EXPECT_EQ(Read("symptoms", "maybe a fever"), "<unsure>");
}

TEST_F(AnswerMatcherTest, NothingMatches) {
  EXPECT_EQ(Read("pain_location", ""), "<not understood>");
  EXPECT_EQ(Read("pain_location", "?!"), "<not understood>");
  EXPECT_EQ(Read("pain_location", "purple"), "<not understood>");
  EXPECT_EQ(Read("cancer_history", std::string(5000, 'x')), "<not understood>");
}

TEST(ReadDurationDaysTest, SumsPairsAndReadsPhrases) {
  const auto dialog = testing::LoadSourceDialog("dialogs/back_pain.textproto");
  auto days = [&](const std::string& text) {
    const std::string normalized = NormalizeForMatching(text);
    return ReadDurationDays(SplitWords(normalized), dialog->vocabulary);
  };
  EXPECT_EQ(days("1 year and 2 months"), 365 + 60);
  EXPECT_EQ(days("a couple of weeks"), std::nullopt);  // "of" breaks the pair.
  EXPECT_EQ(days("couple weeks"), 14);
  EXPECT_EQ(days("since last week"), 7);
  EXPECT_EQ(days("today"), 0);
  EXPECT_EQ(days("nothing here"), std::nullopt);
}

}  // namespace
}  // namespace backchat::engine
