// The corpus of typed answers (tests/typed/corpus.<lang>.tsv) and how a
// matcher result is judged against it. Shared by the corpus test, which
// fails on any wrong acceptance, and the benchmark, which prints figures.
//
// A corpus line is `question_id<TAB>text<TAB>expected`, where expected is
// option ids joined by "+" (the reading a careful clinician would be sure
// of), "confirm:<ids>" (the likely reading, to be checked with the person),
// or "ask-again" (the text does not answer the question).
#ifndef BACKCHAT_TESTS_TYPED_TYPED_CORPUS_H_
#define BACKCHAT_TESTS_TYPED_TYPED_CORPUS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "service/engine/answer_matcher.h"
#include "service/engine/compiled_dialog.h"

namespace backchat::testing {

struct CorpusLine {
  int line = 0;  // 1-based, for messages.
  std::string question_id;
  std::string text;
  enum class Expect { kAccept, kConfirm, kAskAgain };
  Expect expect = Expect::kAskAgain;
  std::vector<std::string> option_ids;  // Empty for kAskAgain.
};

// Reads a corpus file. Errors name the file and line of a malformed line.
absl::StatusOr<std::vector<CorpusLine>> LoadCorpus(const std::string& path);

// Checks that every question and option a line names exists in `dialog`.
absl::Status ValidateCorpus(const engine::CompiledDialog& dialog,
                            const std::vector<CorpusLine>& corpus,
                            const std::string& path);

// What the matcher did with a line, compared with what the line expects.
enum class Verdict {
  kAcceptedRight,    // Accepted, and the reading is the expected one.
  kConfirmedRight,   // Proposed for confirmation, the expected reading.
  kConfirmedOther,   // Proposed another reading (the person says no).
  kAskedAgain,       // Asked again although the line has a reading.
  kAskedAgainRight,  // Asked again, as the line expects.
  kAcceptedWrong,    // Accepted a reading the line does not have: unsafe.
};
const char* VerdictName(Verdict verdict);

Verdict Judge(const engine::CompiledQuestion& question,
              const engine::MatchResult& result, const CorpusLine& line);

// The option ids of a mask, "+"-joined (for messages).
std::string OptionIds(const engine::CompiledQuestion& question,
                      engine::OptionMask options);

// The bundled back-pain dialog in `language` ("en" or "es").
std::shared_ptr<const engine::CompiledDialog> BundledBackPain(
    const std::string& language);

// tests/typed/corpus.<language>.tsv in the source tree.
std::string CorpusPath(const std::string& language);

}  // namespace backchat::testing

#endif  // BACKCHAT_TESTS_TYPED_TYPED_CORPUS_H_
