#include "service/dialog_tools/typed_answer_check.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/engine/answer_matcher.h"

namespace backchat::engine {
namespace {

// Finds where a synonym is written: the first line quoting it after the
// option's id (after the question's id), so that findings say file:line.
class SynonymLocator {
 public:
  explicit SynonymLocator(const std::string& file) : file_(file) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) lines_.push_back(line);
  }

  std::string At(const CompiledQuestion& question, const CompiledOption& option,
                 const std::string& text) const {
    size_t from = Find(absl::StrCat("id: \"", question.id, "\""), 0);
    if (from == lines_.size()) from = 0;
    size_t option_line = Find(absl::StrCat("id: \"", option.id, "\""), from);
    if (option_line == lines_.size())
      option_line = Find(absl::StrCat("id: \"", option.id, "\""), 0);
    if (option_line == lines_.size()) return file_;
    // The text as written may differ from its normalized form only in case,
    // accents and punctuation; fall back to the option's line.
    const size_t quoted = Find(absl::StrCat("\"", text, "\""), option_line);
    const size_t line = quoted < option_line + 8 ? quoted : option_line;
    return absl::StrCat(file_, ":", line + 1);
  }

 private:
  size_t Find(const std::string& needle, size_t from) const {
    for (size_t i = from; i < lines_.size(); ++i) {
      if (lines_[i].find(needle) != std::string::npos) return i;
    }
    return lines_.size();
  }

  std::string file_;
  std::vector<std::string> lines_;
};

std::string Ids(const CompiledQuestion& question, OptionMask options) {
  return absl::StrJoin(question.OptionIds(options), ", ");
}

std::string Reading(const CompiledQuestion& question, const MatchResult& r) {
  switch (r.kind) {
    case MatchResult::Kind::kMatched:
    case MatchResult::Kind::kConfirm:
      return absl::StrCat("reads as ", Ids(question, r.options));
    case MatchResult::Kind::kAmbiguous:
    case MatchResult::Kind::kExclusiveCombined:
      return absl::StrCat("is ambiguous between ", Ids(question, r.options));
    case MatchResult::Kind::kUnsure:
      return "reads as a hedge (vocabulary.uncertain)";
    case MatchResult::Kind::kNotUnderstood:
      break;
  }
  return "is not understood";
}

bool IsYesNoWord(const CompiledVocabulary& v, const Phrase& phrase) {
  for (const auto* list : {&v.confirm_yes, &v.confirm_no}) {
    for (const Phrase& p : *list) {
      if (p == phrase) return true;
    }
  }
  return false;
}

}  // namespace

TypedAnswerReport CheckTypedAnswers(const CompiledDialog& dialog,
                                    const std::string& file) {
  TypedAnswerReport report;
  const SynonymLocator locate(file);
  for (const CompiledQuestion& question : dialog.questions) {
    for (size_t o = 0; o < question.options.size(); ++o) {
      const CompiledOption& option = question.options[o];
      const bool yes_no_option =
          IsYesNoWord(dialog.vocabulary, option.phrases.front());
      for (size_t p = 0; p < option.phrases.size(); ++p) {
        const std::string text = absl::StrJoin(option.phrases[p], " ");
        const std::string where = locate.At(question, option, text);
        const std::string what = absl::StrCat(
            "question \"", question.id, "\" option \"", option.id,
            "\": ", p == 0 ? "label" : "synonym", " \"", text, "\"");
        const MatchResult r = MatchAnswer(question, dialog.vocabulary, text);
        const bool read = r.kind == MatchResult::Kind::kMatched ||
                          r.kind == MatchResult::Kind::kConfirm;
        if (!read || r.options != (OptionMask{1} << o)) {
          report.problems.push_back(
              absl::StrCat(where, ": ", what, " typed alone ",
                           Reading(question, r), " [", dialog.locale, "]"));
        }
        if (p == 0) continue;
        if (!yes_no_option &&
            IsYesNoWord(dialog.vocabulary, option.phrases[p])) {
          report.warnings.push_back(absl::StrCat(
              where, ": ", what,
              " is a yes/no word: inside a sentence it is read as a "
              "negation, not as this option"));
        }
        if (option.phrases[p].size() != 1) continue;
        for (size_t other = 0; other < question.options.size(); ++other) {
          if (other == o) continue;
          for (size_t q = 1; q < question.options[other].phrases.size(); ++q) {
            const Phrase& longer = question.options[other].phrases[q];
            if (longer.size() < 2) continue;
            if (std::find(longer.begin(), longer.end(), option.phrases[p][0]) ==
                longer.end()) {
              continue;
            }
            report.warnings.push_back(absl::StrCat(
                where, ": ", what, " is also a word of \"",
                absl::StrJoin(longer, " "), "\", a synonym of option \"",
                question.options[other].id, "\""));
          }
        }
      }
    }
  }
  return report;
}

}  // namespace backchat::engine
