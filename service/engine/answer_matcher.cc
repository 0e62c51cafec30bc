#include "service/engine/answer_matcher.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "service/engine/text_normalizer.h"

namespace backchat::engine {
namespace {

using Words = std::vector<absl::string_view>;

bool PhraseAt(const Words& words, size_t start, const Phrase& phrase) {
  if (phrase.empty() || start + phrase.size() > words.size()) return false;
  for (size_t k = 0; k < phrase.size(); ++k) {
    if (words[start + k] != phrase[k]) return false;
  }
  return true;
}

bool ContainsPhrase(const Words& words, const Phrase& phrase) {
  for (size_t s = 0; s < words.size(); ++s) {
    if (PhraseAt(words, s, phrase)) return true;
  }
  return false;
}

std::optional<double> DigitsValue(absl::string_view word) {
  if (word.empty() || word[0] < '0' || word[0] > '9') return std::nullopt;
  double value = 0;
  if (!absl::SimpleAtod(word, &value)) return std::nullopt;
  return value;
}

// A word that is a number, in digits or as a number word.
std::optional<double> NumberValue(absl::string_view word,
                                  const CompiledVocabulary& vocabulary) {
  if (auto digits = DigitsValue(word)) return digits;
  auto it = vocabulary.numbers.find(word);
  if (it != vocabulary.numbers.end()) return it->second;
  return std::nullopt;
}

MatchResult Checked(const CompiledQuestion& question, OptionMask options) {
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
  return {MatchResult::Kind::kMatched, options};
}

// Step 2: option numbers. nullopt when the text is not just numbers.
std::optional<OptionMask> OptionNumbers(const CompiledQuestion& question,
                                        const CompiledVocabulary& vocabulary,
                                        const Words& words) {
  OptionMask options = 0;
  for (absl::string_view word : words) {
    if (vocabulary.connectors.contains(word)) continue;
    int number = 0;
    if (!absl::SimpleAtoi(word, &number) || number < 1 ||
        number > static_cast<int>(question.options.size())) {
      return std::nullopt;
    }
    options |= OptionMask{1} << (number - 1);
  }
  if (options == 0) return std::nullopt;
  return options;
}

// Step 3: labels and synonyms.
OptionMask PhraseMatches(const CompiledQuestion& question, const Words& words) {
  struct Span {
    size_t start, end;
    int option;
  };
  std::vector<Span> spans;
  for (size_t o = 0; o < question.options.size(); ++o) {
    for (const Phrase& phrase : question.options[o].phrases) {
      for (size_t s = 0; s < words.size(); ++s) {
        if (PhraseAt(words, s, phrase)) {
          spans.push_back({s, s + phrase.size(), static_cast<int>(o)});
        }
      }
    }
  }
  OptionMask options = 0;
  for (const Span& a : spans) {
    const bool inside_longer = std::any_of(
        spans.begin(), spans.end(), [&](const Span& b) {
          return b.option != a.option && b.start <= a.start &&
                 a.end <= b.end && (b.end - b.start) > (a.end - a.start);
        });
    if (!inside_longer) options |= OptionMask{1} << a.option;
  }
  return options;
}

}  // namespace

std::optional<double> ReadDurationDays(const Words& words,
                                       const CompiledVocabulary& vocabulary) {
  double total = 0;
  bool found = false;
  for (size_t i = 1; i < words.size(); ++i) {
    auto unit = vocabulary.duration_units.find(words[i]);
    if (unit == vocabulary.duration_units.end()) continue;
    if (auto count = NumberValue(words[i - 1], vocabulary)) {
      total += *count * unit->second;
      found = true;
    }
  }
  if (found) return total;
  std::optional<double> phrase_days;
  for (const auto& [phrase, days] : vocabulary.duration_phrases) {
    if (ContainsPhrase(words, phrase)) {
      phrase_days = std::max(phrase_days.value_or(days), days);
    }
  }
  return phrase_days;
}

std::optional<double> ReadNumber(const Words& words) {
  std::optional<double> number;
  for (absl::string_view word : words) {
    if (auto value = DigitsValue(word)) {
      if (number.has_value()) return std::nullopt;
      number = value;
    }
  }
  return number;
}

MatchResult MatchAnswer(const CompiledQuestion& question,
                        const CompiledVocabulary& vocabulary,
                        absl::string_view text) {
  const std::string normalized = NormalizeForMatching(text);
  const Words words = SplitWords(normalized);
  if (words.empty()) return {MatchResult::Kind::kNotUnderstood, 0};

  for (const Phrase& phrase : vocabulary.uncertain) {
    if (ContainsPhrase(words, phrase)) return {MatchResult::Kind::kUnsure, 0};
  }
  if (auto numbered = OptionNumbers(question, vocabulary, words)) {
    return Checked(question, *numbered);
  }
  if (const OptionMask matched = PhraseMatches(question, words)) {
    return Checked(question, matched);
  }

  std::optional<double> value;
  switch (question.value_kind) {
    case dialog::v1::VALUE_KIND_DURATION:
      value = ReadDurationDays(words, vocabulary);
      break;
    case dialog::v1::VALUE_KIND_NUMBER:
      value = ReadNumber(words);
      break;
    default:
      break;
  }
  if (value.has_value()) {
    for (size_t o = 0; o < question.options.size(); ++o) {
      const CompiledOption& option = question.options[o];
      if (option.has_range && option.range.Contains(*value)) {
        return {MatchResult::Kind::kMatched, OptionMask{1} << o};
      }
    }
  }
  return {MatchResult::Kind::kNotUnderstood, 0};
}

}  // namespace backchat::engine
