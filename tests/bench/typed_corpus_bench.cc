// Prints how the typed-answer matcher reads the corpus of typed answers
// (tests/typed/corpus.<lang>.tsv), per language and per question, and what
// it costs per answer. A benchmark, not a test: it never fails on figures.
//
//   build/tests/typed_corpus_bench [--repeat=200] [--lines]
//
// --lines also prints every line that was not accepted right.
#include <chrono>
#include <cstdio>
#include <map>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "tests/typed/typed_corpus.h"

ABSL_FLAG(int, repeat, 200, "times each line is matched for the cost figure");
ABSL_FLAG(bool, lines, false, "print every line not accepted right");

namespace backchat::testing {
namespace {

constexpr int kVerdicts = 6;

struct Tally {
  int counts[kVerdicts] = {};
  int total = 0;
  void Add(Verdict v) {
    ++counts[static_cast<int>(v)];
    ++total;
  }
  int operator[](Verdict v) const { return counts[static_cast<int>(v)]; }
};

void PrintRow(const std::string& name, const Tally& t) {
  std::printf("  %-20s %5d %8d %9d %7d %7d %9d %8d\n", name.c_str(), t.total,
              t[Verdict::kAcceptedRight], t[Verdict::kConfirmedRight],
              t[Verdict::kConfirmedOther], t[Verdict::kAskedAgain],
              t[Verdict::kAskedAgainRight], t[Verdict::kAcceptedWrong]);
}

int Run(const std::string& language) {
  const auto dialog = BundledBackPain(language);
  const std::string path = CorpusPath(language);
  auto corpus = LoadCorpus(path);
  if (!corpus.ok()) {
    std::fprintf(stderr, "%s\n", corpus.status().ToString().c_str());
    return 1;
  }
  if (auto valid = ValidateCorpus(*dialog, *corpus, path); !valid.ok()) {
    std::fprintf(stderr, "%s\n", valid.ToString().c_str());
    return 1;
  }
  std::map<int, Tally> by_question;  // by question index, in dialog order
  Tally all;
  const int repeat = absl::GetFlag(FLAGS_repeat);
  double read_nanos = 0;  // time spent on answers given a reading
  int read_count = 0;
  double all_nanos = 0;
  for (const CorpusLine& line : *corpus) {
    const int q = dialog->QuestionIndex(line.question_id);
    const engine::CompiledQuestion& question = dialog->questions[q];
    engine::MatchResult result;
    const auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < repeat; ++r) {
      result = engine::MatchAnswer(question, dialog->vocabulary, line.text);
    }
    const double nanos = std::chrono::duration<double, std::nano>(
                             std::chrono::steady_clock::now() - start)
                             .count() /
                         repeat;
    all_nanos += nanos;
    if (result.kind == engine::MatchResult::Kind::kMatched ||
        result.kind == engine::MatchResult::Kind::kConfirm) {
      read_nanos += nanos;
      ++read_count;
    }
    const Verdict verdict = Judge(question, result, line);
    by_question[q].Add(verdict);
    all.Add(verdict);
    if (absl::GetFlag(FLAGS_lines) && verdict != Verdict::kAcceptedRight &&
        verdict != Verdict::kAskedAgainRight) {
      std::printf("  %s:%d %s [%s] \"%s\" -> %s\n", language.c_str(), line.line,
                  VerdictName(verdict), line.question_id.c_str(),
                  line.text.c_str(),
                  OptionIds(question, result.options).c_str());
    }
  }
  std::printf("\n== %s: %d typed answers (%s)\n", language.c_str(), all.total,
              path.c_str());
  std::printf("  %-20s %5s %8s %9s %7s %7s %9s %8s\n", "question", "lines",
              "accepted", "confirmed", "other", "asked", "asked-ok", "WRONG");
  for (const auto& [q, tally] : by_question)
    PrintRow(dialog->questions[q].id, tally);
  PrintRow("all", all);
  int expected_reading = 0;
  for (const CorpusLine& line : *corpus) {
    expected_reading += line.expect != CorpusLine::Expect::kAskAgain;
  }
  const int read_right =
      all[Verdict::kAcceptedRight] + all[Verdict::kConfirmedRight];
  std::printf(
      "  answers with a reading: %d; read right (accepted or after one "
      "confirmation): %d = %.1f%%; accepted wrong: %d\n",
      expected_reading, read_right,
      expected_reading ? 100.0 * read_right / expected_reading : 0.0,
      all[Verdict::kAcceptedWrong]);
  std::printf(
      "  cost: %.0f ns per answer given a reading (%d), %.0f ns per answer "
      "overall\n",
      read_count ? read_nanos / read_count : 0.0, read_count,
      all.total ? all_nanos / all.total : 0.0);
  return 0;
}

}  // namespace
}  // namespace backchat::testing

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  int status = 0;
  for (const char* language : {"en", "es"}) {
    status |= backchat::testing::Run(language);
  }
  return status;
}
