// The corpus of typed answers (tests/typed/corpus.<lang>.tsv) read by the
// matcher: no reading may be accepted that the corpus does not give, and
// at least 90% of the answers that have a reading are read right, at once
// or after one confirmation. tests/bench/typed_corpus_bench.cc prints the
// figures per question.
#include "tests/typed/typed_corpus.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace backchat::testing {
namespace {

class TypedCorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TypedCorpusTest, NoWrongAcceptanceAndNineInTenReadRight) {
  const std::string language = GetParam();
  const auto dialog = BundledBackPain(language);
  const std::string path = CorpusPath(language);
  auto corpus = LoadCorpus(path);
  ASSERT_TRUE(corpus.ok()) << corpus.status();
  ASSERT_TRUE(ValidateCorpus(*dialog, *corpus, path).ok());
  ASSERT_GE(corpus->size(), 300u)
      << "the corpus must hold 300 answers per language";
  int with_reading = 0, read_right = 0;
  for (const CorpusLine& line : *corpus) {
    const engine::CompiledQuestion& question =
        dialog->questions[dialog->QuestionIndex(line.question_id)];
    const engine::MatchResult result =
        engine::MatchAnswer(question, dialog->vocabulary, line.text);
    const Verdict verdict = Judge(question, result, line);
    EXPECT_NE(verdict, Verdict::kAcceptedWrong)
        << path << ":" << line.line << " [" << line.question_id << "] \""
        << line.text << "\" was accepted as "
        << OptionIds(question, result.options);
    if (line.expect != CorpusLine::Expect::kAskAgain) {
      ++with_reading;
      read_right += verdict == Verdict::kAcceptedRight ||
                    verdict == Verdict::kConfirmedRight;
    }
  }
  EXPECT_GE(read_right * 10, with_reading * 9)
      << language << ": " << read_right << " of " << with_reading
      << " answers read right (run typed_corpus_bench --lines for the rest)";
}

INSTANTIATE_TEST_SUITE_P(Languages, TypedCorpusTest,
                         ::testing::Values("en", "es"));

}  // namespace
}  // namespace backchat::testing
