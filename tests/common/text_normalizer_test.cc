#include "service/common/text_normalizer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backchat::engine {
namespace {

TEST(NormalizeForMatchingTest, FoldsCaseAccentsAndPunctuation) {
  EXPECT_EQ(NormalizeForMatching("  Sí, ESPALDA baja!  "), "si espalda baja");
  EXPECT_EQ(NormalizeForMatching("¿Dónde? Ñandú"), "donde nandu");
  EXPECT_EQ(NormalizeForMatching("Ça va — très bien…"), "ca va tres bien");
}

TEST(NormalizeForMatchingTest, DropsApostrophesKeepsDecimals) {
  EXPECT_EQ(NormalizeForMatching("don't"), "dont");
  EXPECT_EQ(NormalizeForMatching("don’t"), "dont");
  EXPECT_EQ(NormalizeForMatching("1.5 weeks."), "1.5 weeks");
  EXPECT_EQ(NormalizeForMatching("end."), "end");
}

TEST(NormalizeForMatchingTest, KeepsOtherScriptsAndSurvivesBadUtf8) {
  EXPECT_EQ(NormalizeForMatching("спина"), "спина");
  EXPECT_EQ(NormalizeForMatching(std::string("a\xC3", 2)), "a\xC3");
  EXPECT_EQ(NormalizeForMatching(std::string("\xE2\x80", 2)), "\xE2\x80");
  EXPECT_EQ(NormalizeForMatching(""), "");
}

TEST(SplitWordsTest, SplitsOnSpaces) {
  EXPECT_THAT(SplitWords("a bb c"), ::testing::ElementsAre("a", "bb", "c"));
  EXPECT_THAT(SplitWords(""), ::testing::IsEmpty());
}

}  // namespace
}  // namespace backchat::engine
