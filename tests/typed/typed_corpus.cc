#include "tests/typed/typed_corpus.h"

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "service/dialog_tools/dialog_registry.h"

namespace backchat::testing {

using engine::CompiledQuestion;
using engine::MatchResult;
using engine::OptionMask;

absl::StatusOr<std::vector<CorpusLine>> LoadCorpus(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  std::vector<CorpusLine> lines;
  std::string raw;
  for (int number = 1; std::getline(in, raw); ++number) {
    absl::string_view text = absl::StripAsciiWhitespace(raw);
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(raw, '\t');
    if (fields.size() != 3) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", number, ": expected 3 tab-separated fields, found ",
          fields.size()));
    }
    CorpusLine line;
    line.line = number;
    line.question_id = std::string(absl::StripAsciiWhitespace(fields[0]));
    line.text = fields[1];
    absl::string_view expected = absl::StripAsciiWhitespace(fields[2]);
    if (expected == "ask-again") {
      line.expect = CorpusLine::Expect::kAskAgain;
    } else {
      line.expect = absl::ConsumePrefix(&expected, "confirm:")
                        ? CorpusLine::Expect::kConfirm
                        : CorpusLine::Expect::kAccept;
      line.option_ids = absl::StrSplit(expected, '+', absl::SkipEmpty());
      if (line.option_ids.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ":", number, ": no expected option ids"));
      }
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

absl::Status ValidateCorpus(const engine::CompiledDialog& dialog,
                            const std::vector<CorpusLine>& corpus,
                            const std::string& path) {
  for (const CorpusLine& line : corpus) {
    const int q = dialog.QuestionIndex(line.question_id);
    if (q < 0) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line.line,
                                                     ": unknown question \"",
                                                     line.question_id, "\""));
    }
    for (const std::string& id : line.option_ids) {
      if (dialog.questions[q].OptionIndex(id) < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ":", line.line, ": question \"",
                         line.question_id, "\" has no option \"", id, "\""));
      }
    }
  }
  return absl::OkStatus();
}

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kAcceptedRight:
      return "accepted right";
    case Verdict::kConfirmedRight:
      return "confirmed";
    case Verdict::kConfirmedOther:
      return "confirmed other";
    case Verdict::kAskedAgain:
      return "asked again";
    case Verdict::kAskedAgainRight:
      return "asked again (right)";
    case Verdict::kAcceptedWrong:
      return "ACCEPTED WRONG";
  }
  return "?";
}

Verdict Judge(const CompiledQuestion& question, const MatchResult& result,
              const CorpusLine& line) {
  OptionMask expected = 0;
  for (const std::string& id : line.option_ids) {
    expected |= OptionMask{1} << question.OptionIndex(id);
  }
  const bool has_reading = line.expect != CorpusLine::Expect::kAskAgain;
  switch (result.kind) {
    case MatchResult::Kind::kMatched:
      return has_reading && result.options == expected
                 ? Verdict::kAcceptedRight
                 : Verdict::kAcceptedWrong;
    case MatchResult::Kind::kConfirm:
      return has_reading && result.options == expected
                 ? Verdict::kConfirmedRight
                 : Verdict::kConfirmedOther;
    default:
      return has_reading ? Verdict::kAskedAgain : Verdict::kAskedAgainRight;
  }
}

std::string OptionIds(const CompiledQuestion& question, OptionMask options) {
  return absl::StrJoin(question.OptionIds(options), "+");
}

std::shared_ptr<const engine::CompiledDialog> BundledBackPain(
    const std::string& language) {
  auto set = engine::LoadDialogDirectory(
      absl::StrCat(BACKCHAT_SOURCE_DIR, "/dialogs"), "back_pain");
  if (!set.ok()) {
    std::cerr << set.status() << "\n";
    std::abort();
  }
  return set->bundles.front()->ForLocale(language).dialog;
}

std::string CorpusPath(const std::string& language) {
  return absl::StrCat(BACKCHAT_SOURCE_DIR, "/tests/typed/corpus.", language,
                      ".tsv");
}

}  // namespace backchat::testing
