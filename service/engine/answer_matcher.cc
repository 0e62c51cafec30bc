#include "service/engine/answer_matcher.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/numbers.h"
#include "service/common/text_normalizer.h"
#include "service/engine/typed_words.h"
#include "service/engine/value_reader.h"

namespace backchat::engine {
namespace {

using Words = std::vector<TypedWord>;

// How far after a negation word an option's words count as negated.
constexpr size_t kNegationReach = 5;

// Where an option's phrase (or a value) was found in the words.
struct Span {
  size_t start = 0, end = 0;
  int option = 0;
  bool negation_only = false;  // every word is a negation ("no", "never")
  bool corrected = false;      // holds a misspelt word
  bool value = false;          // a duration or number, not a phrase
  bool negated = false;        // follows a negation in its clause
  bool negator = false;        // a bare "no" that negates what follows
  bool exact = false;          // typed exactly as the phrase, not a form of it
};

MatchResult Checked(const CompiledQuestion& question, OptionMask options, MatchResult::Kind kind) {
  const bool several = (options & (options - 1)) != 0;
  if (several && !question.multiple_choice()) {
    return {MatchResult::Kind::kAmbiguous, options};
  }
  if (several) {
    for (size_t o = 0; o < question.options.size(); ++o) {
      if (question.options[o].exclusive && ((options >> o) & 1)) {
        return {MatchResult::Kind::kExclusiveCombined, options};
      }
    }
  }
  return {kind, options};
}

// Option numbers: nullopt when the text is not just numbers and connectors.
std::optional<OptionMask> OptionNumbers(const CompiledQuestion& question,
                                        const CompiledVocabulary& vocabulary, const Words& words) {
  OptionMask options = 0;
  for (const TypedWord& w : words) {
    if (vocabulary.connectors.contains(w.typed)) continue;
    int number = 0;
    if (!absl::SimpleAtoi(w.typed, &number) || number < 1 ||
        number > static_cast<int>(question.options.size())) {
      return std::nullopt;
    }
    options |= OptionMask{1} << (number - 1);
  }
  if (options == 0) return std::nullopt;
  return options;
}

bool StemsAt(const Words& words, size_t start, const Phrase& stems) {
  if (stems.empty() || start + stems.size() > words.size()) return false;
  for (size_t k = 0; k < stems.size(); ++k) {
    if (words[start + k].stem != stems[k]) return false;
    if (k > 0 && words[start + k].clause != words[start].clause) return false;
  }
  return true;
}

bool TypedAt(const Words& words, size_t start, const Phrase& phrase) {
  if (phrase.empty() || start + phrase.size() > words.size()) return false;
  for (size_t k = 0; k < phrase.size(); ++k) {
    if (words[start + k].typed != phrase[k]) return false;
  }
  return true;
}

// The option whose label is exactly the text, or -1.
int ExactLabel(const CompiledQuestion& question, const Words& words) {
  for (size_t o = 0; o < question.options.size(); ++o) {
    const Phrase& label = question.options[o].phrases.front();
    if (label.size() == words.size() && TypedAt(words, 0, label)) return static_cast<int>(o);
  }
  return -1;
}

// Marks the words of every hedge of `phrases` found in `words`; true if any.
bool MarkHedges(const Words& words, const CompiledVocabulary& vocabulary,
                const std::vector<Phrase>& phrases, std::vector<bool>* marked) {
  bool any = false;
  for (size_t s = 0; s < words.size(); ++s) {
    if (!vocabulary.hedge_first_words.contains(words[s].typed)) continue;
    for (const Phrase& phrase : phrases) {
      if (!TypedAt(words, s, phrase)) continue;
      any = true;
      for (size_t k = 0; k < phrase.size(); ++k) (*marked)[s + k] = true;
    }
  }
  return any;
}

std::vector<Span> PhraseSpans(const CompiledQuestion& question,
                              const CompiledVocabulary& vocabulary, const Words& words) {
  std::vector<Span> spans;
  spans.reserve(8);
  for (size_t s = 0; s < words.size(); ++s) {
    auto found = question.phrases_by_first_stem.find(words[s].stem);
    if (found == question.phrases_by_first_stem.end()) continue;
    for (const auto& [o, p] : found->second) {
      const CompiledOption& option = question.options[o];
      const Phrase& stems = option.stemmed_phrases[p];
      if (!StemsAt(words, s, stems)) continue;
      Span span{s, s + stems.size(), o};
      span.exact = TypedAt(words, s, option.phrases[p]);
      span.negation_only = true;
      for (size_t k = span.start; k < span.end; ++k) {
        span.corrected |= words[k].corrected;
        span.negation_only &= vocabulary.negations.contains(words[k].typed);
      }
      spans.push_back(span);
    }
  }
  // A phrase inside a longer phrase of another option does not count, nor
  // a form of a phrase where another option's phrase is typed exactly ("my
  // legs" is both legs, not "my leg").
  std::vector<Span> kept;
  for (const Span& a : spans) {
    const bool inside_longer = std::any_of(spans.begin(), spans.end(), [&](const Span& b) {
      if (b.option == a.option || b.start > a.start || a.end > b.end) return false;
      if ((b.end - b.start) > (a.end - a.start)) return true;
      return b.exact && !a.exact;
    });
    if (!inside_longer) kept.push_back(a);
  }
  return kept;
}

// The option whose range holds `value`, or -1.
int OptionForValue(const CompiledQuestion& question, double value) {
  for (size_t o = 0; o < question.options.size(); ++o) {
    const CompiledOption& option = question.options[o];
    if (option.has_range && option.range.Contains(value)) return static_cast<int>(o);
  }
  return -1;
}

bool StartsWithOneOf(const Phrase& label, const std::vector<Phrase>& words) {
  for (const Phrase& word : words) {
    if (word.size() == 1 && !label.empty() && label.front() == word.front()) return true;
  }
  return false;
}

// The exclusive option ("none of these"), or -1.
int ExclusiveOption(const CompiledQuestion& question) {
  for (size_t o = 0; o < question.options.size(); ++o) {
    if (question.options[o].exclusive) return static_cast<int>(o);
  }
  return -1;
}

// The option a "no" answers with: the exclusive option ("none of these"),
// else one whose label starts with a no word ("No, it came on by itself").
int NoOption(const CompiledQuestion& question, const CompiledVocabulary& v) {
  if (const int exclusive = ExclusiveOption(question); exclusive >= 0) return exclusive;
  for (size_t o = 0; o < question.options.size(); ++o) {
    if (StartsWithOneOf(question.options[o].phrases.front(), v.confirm_no)) {
      return static_cast<int>(o);
    }
  }
  return -1;
}

// The option a "yes" answers with, when a label is just a yes word.
int YesOption(const CompiledQuestion& question, const CompiledVocabulary& v) {
  for (size_t o = 0; o < question.options.size(); ++o) {
    const Phrase& label = question.options[o].phrases.front();
    if (label.size() == 1 && StartsWithOneOf(label, v.confirm_yes)) return static_cast<int>(o);
  }
  return -1;
}

bool IsContent(const CompiledVocabulary& v, const TypedWord& w) {
  return !v.filler.contains(w.typed) && !v.connectors.contains(w.typed) &&
         !v.negations.contains(w.typed);
}

// What MarkNegations found.
struct Negations {
  bool any = false;  // some option's words are negated
  // in_phrase[k]: words[k] belongs to an answer's phrase (so a negation
  // word there is part of the answer, "no pain", not a negation).
  std::vector<bool> in_phrase;
};

// Marks negated spans and bare "no"s that negate (see MatchAnswer's
// contract), and marks the negation words that did so in `covered`.
Negations MarkNegations(const CompiledQuestion& question, const CompiledVocabulary& vocabulary,
                        const Words& words, const std::vector<bool>& hedge,
                        std::vector<Span>* spans, std::vector<bool>* covered) {
  Negations result;
  // The option that means "no" is never negated: "no, about the same",
  // "nah, never tried it" say no twice.
  const int no_option = NoOption(question, vocabulary);
  std::vector<bool> in_no_option(words.size(), false);
  for (const Span& span : *spans) {
    if (span.option != no_option) continue;
    for (size_t k = span.start; k < span.end; ++k) in_no_option[k] = true;
  }
  // A bare "no" followed by other words in its clause negates them.
  for (Span& span : *spans) {
    if (!span.negation_only) continue;
    for (size_t k = span.end; k < words.size() && words[k].clause == words[span.start].clause;
         ++k) {
      if (IsContent(vocabulary, words[k]) && !in_no_option[k]) {
        span.negator = true;
        break;
      }
    }
  }
  // A bare "no" right after an option's words, ending its clause, negates
  // them ("fiebre no, pero...", "peso tampoco").
  for (Span& negation : *spans) {
    if (!negation.negation_only || negation.negator || negation.start == 0) continue;
    bool ends_clause = true;
    for (size_t k = negation.end;
         k < words.size() && words[k].clause == words[negation.start].clause; ++k) {
      ends_clause &= !IsContent(vocabulary, words[k]);
    }
    if (!ends_clause) continue;
    for (Span& span : *spans) {
      if (span.negation_only || span.option == no_option || span.end != negation.start ||
          words[span.start].clause != words[negation.start].clause) {
        continue;
      }
      span.negated = true;
      negation.negator = true;
      result.any = true;
      for (size_t k = negation.start; k < negation.end; ++k) (*covered)[k] = true;
    }
  }
  // Negation words outside any answer phrase ("not", "without", or a bare
  // "no" used as one) negate the options after them in their clause.
  result.in_phrase.assign(words.size(), false);
  for (const Span& span : *spans) {
    if (span.negator) continue;
    for (size_t k = span.start; k < span.end; ++k) result.in_phrase[k] = true;
  }
  for (size_t n = 0; n < words.size(); ++n) {
    if (result.in_phrase[n] || hedge[n] || !vocabulary.negations.contains(words[n].typed)) {
      continue;
    }
    for (Span& span : *spans) {
      if (span.negator || span.option == no_option || span.start <= n ||
          span.start - n > kNegationReach || words[span.start].clause != words[n].clause) {
        continue;
      }
      span.negated = true;
      (*covered)[n] = true;
      result.any = true;
    }
  }
  return result;
}

}  // namespace

MatchResult MatchAnswer(const CompiledQuestion& question, const CompiledVocabulary& vocabulary,
                        absl::string_view text) {
  using Kind = MatchResult::Kind;
  const Words words = ReadTypedWords(question, vocabulary, text);
  if (words.empty()) return {Kind::kNotUnderstood, 0};

  if (auto numbered = OptionNumbers(question, vocabulary, words)) {
    return Checked(question, *numbered, Kind::kMatched);
  }
  if (const int exact = ExactLabel(question, words); exact >= 0) {
    return Checked(question, OptionMask{1} << exact, Kind::kMatched);
  }

  // Hedges ("not sure", "no sé") are neither options nor negations.
  std::vector<bool> hedge(words.size(), false);
  const bool may_hedge = std::any_of(words.begin(), words.end(), [&](const TypedWord& w) {
    return vocabulary.hedge_first_words.contains(w.typed);
  });
  const bool probably_no =
      may_hedge && MarkHedges(words, vocabulary, vocabulary.probably_no, &hedge);
  const bool probably_yes =
      may_hedge && !probably_no && MarkHedges(words, vocabulary, vocabulary.probably_yes, &hedge);
  const bool hedged = (may_hedge && MarkHedges(words, vocabulary, vocabulary.uncertain, &hedge)) ||
                      probably_no || probably_yes;
  std::vector<bool> covered = hedge;

  std::vector<Span> spans = PhraseSpans(question, vocabulary, words);
  spans.erase(std::remove_if(spans.begin(), spans.end(),
                             [&](const Span& span) {
                               for (size_t k = span.start; k < span.end; ++k) {
                                 if (!hedge[k]) return false;
                               }
                               return true;
                             }),
              spans.end());
  bool value_straddles = false;
  std::optional<ValueReading> value;
  if (question.value_kind == dialog::v1::VALUE_KIND_DURATION) {
    value = ReadDuration(words, vocabulary);
  } else if (question.value_kind == dialog::v1::VALUE_KIND_NUMBER) {
    value = ReadNumber(words, vocabulary);
  }
  if (value) {
    const int high = OptionForValue(question, value->high);
    const int low = OptionForValue(question, value->low);
    if (high >= 0) {
      value_straddles = low != high;
      Span span;
      span.option = high;
      span.value = true;
      span.start = words.size();
      for (size_t k = 0; k < words.size(); ++k) {
        if (!value->used[k]) continue;
        span.start = std::min(span.start, k);
        span.end = k + 1;
        span.corrected |= words[k].corrected;
      }
      spans.push_back(span);
    }
  }

  const Negations negations = MarkNegations(question, vocabulary, words, hedge, &spans, &covered);
  const bool any_negated = negations.any;
  const std::vector<bool>& in_phrase = negations.in_phrase;

  OptionMask options = 0;
  OptionMask negated_options = 0;
  bool any_corrected = false;
  bool only_values = true;
  for (const Span& span : spans) {
    if (span.negator) continue;
    if (span.negated) {
      negated_options |= OptionMask{1} << span.option;
      for (size_t k = span.start; k < span.end; ++k) covered[k] = true;
      continue;
    }
    options |= OptionMask{1} << span.option;
    any_corrected |= span.corrected;
    // A phrase inside the words a value was read from ("years" in "2
    // years") is part of that value.
    bool within_value = span.value;
    if (!within_value && value) {
      within_value = true;
      for (size_t k = span.start; k < span.end; ++k) within_value &= value->used[k];
    }
    only_values &= within_value;
    for (size_t k = span.start; k < span.end; ++k) covered[k] = true;
  }
  size_t uncovered = 0;
  for (size_t k = 0; k < words.size(); ++k) {
    if (!covered[k] && IsContent(vocabulary, words[k])) ++uncovered;
    // A negation that negated nothing may itself be the answer ("not
    // really"): it counts as unexplained.
    if (!covered[k] && !in_phrase[k] && vocabulary.negations.contains(words[k].typed)) {
      ++uncovered;
    }
  }

  if (options == 0) {
    if (probably_no || probably_yes) {
      const int option =
          probably_no ? NoOption(question, vocabulary) : YesOption(question, vocabulary);
      if (option >= 0) return {Kind::kConfirm, OptionMask{1} << option};
    }
    if (hedged) return {Kind::kUnsure, 0};
    // The person denied some of the listed options: propose "none of
    // these", which names everything it rules out.
    if (const int exclusive = ExclusiveOption(question); negated_options != 0 && exclusive >= 0) {
      return {Kind::kConfirm, OptionMask{1} << exclusive};
    }
    return {Kind::kNotUnderstood, 0};
  }
  const bool certain = !hedged && !any_negated && !any_corrected && !value_straddles &&
                       uncovered == 0 && (!question.raises_red_flag || only_values);
  return Checked(question, options, certain ? Kind::kMatched : Kind::kConfirm);
}

ConfirmationWord ReadConfirmationWord(const CompiledVocabulary& vocabulary,
                                      absl::string_view text) {
  const std::string normalized = NormalizeForMatching(text);
  const std::vector<absl::string_view> words = SplitWords(normalized);
  auto alone = [&](const std::vector<Phrase>& phrases) {
    for (const Phrase& phrase : phrases) {
      if (phrase.size() != words.size()) continue;
      if (std::equal(phrase.begin(), phrase.end(), words.begin())) return true;
    }
    return false;
  };
  if (alone(vocabulary.confirm_yes)) return ConfirmationWord::kAccept;
  if (alone(vocabulary.confirm_no)) return ConfirmationWord::kRefuse;
  return ConfirmationWord::kOther;
}

}  // namespace backchat::engine
