#include "service/engine/value_reader.h"

#include <algorithm>

#include "absl/strings/numbers.h"

namespace backchat::engine {
namespace {

using Words = std::vector<TypedWord>;

struct Number {
  double value = 0;
  double high = 0;       // "40s": 40 to 49; else value
  size_t end = 0;        // one past its last word
  bool article = false;  // a single number word worth 1 ("a", "una")
};

std::optional<double> WordValue(const TypedWord& w,
                                const CompiledVocabulary& v) {
  if (IsDigitsWord(w.word) && w.word.size() > 1 && w.word.back() == 's') {
    double value = 0;  // a decade, "40s"
    if (absl::SimpleAtod(absl::string_view(w.word).substr(0, w.word.size() - 1),
                         &value)) {
      return value;
    }
    return std::nullopt;
  }
  if (IsDigitsWord(w.word)) {
    double value = 0;
    if (absl::SimpleAtod(w.word, &value)) return value;
    return std::nullopt;
  }
  auto it = v.numbers.find(w.word);
  if (it != v.numbers.end()) return it->second;
  return std::nullopt;
}

// The number starting at words[i]: digits, a number word, or tens and
// units ("sixty two", "sesenta y dos").
std::optional<Number> NumberAt(const Words& words, size_t i,
                               const CompiledVocabulary& v) {
  const auto first = WordValue(words[i], v);
  if (!first) return std::nullopt;
  Number n{*first, *first, i + 1, !IsDigitsWord(words[i].word) && *first == 1};
  if (IsDigitsWord(words[i].word) && words[i].word.back() == 's') {
    n.high = n.value + 9;
    return n;
  }
  const bool tens = !IsDigitsWord(words[i].word) && *first >= 20 &&
                    *first < 100 && static_cast<int>(*first) % 10 == 0;
  if (!tens) return n;
  size_t j = i + 1;
  if (j < words.size() && v.connectors.contains(words[j].word)) ++j;
  if (j < words.size() && !IsDigitsWord(words[j].word)) {
    const auto unit = WordValue(words[j], v);
    if (unit && *unit >= 1 && *unit <= 9) {
      n.value += *unit;
      n.high = n.value;
      n.end = j + 1;
    }
  }
  return n;
}

// "and a half" / "y medio" at words[i]: a connector, an optional article,
// and a number word worth one half. Returns how many words, or 0.
size_t HalfAt(const Words& words, size_t i, const CompiledVocabulary& v) {
  if (i >= words.size() || !v.connectors.contains(words[i].word)) return 0;
  size_t k = i + 1;
  if (k < words.size()) {
    auto article = WordValue(words[k], v);
    if (article && *article == 1 && !IsDigitsWord(words[k].word)) ++k;
  }
  if (k >= words.size()) return 0;
  auto half = WordValue(words[k], v);
  if (!half || *half != 0.5) return 0;
  return k + 1 - i;
}

// A running sum of "<number> <unit>" pairs (see ReadDuration).
struct Sum {
  double low = 0, high = 0;
  double unit = 0;  // days of the last pair's unit; 0 before the first
  int clause = 0;
  bool any = false;  // a sum was finished into the reading before
  bool Started() const { return any || unit > 0; }
  // Finishes this sum into `reading` (widening its range) and starts anew.
  void Restart(ValueReading* reading) {
    if (unit > 0) {
      reading->low = any ? std::min(reading->low, low) : low;
      reading->high = any ? std::max(reading->high, high) : high;
      any = true;
    }
    low = high = unit = 0;
  }
};

}  // namespace

std::optional<ValueReading> ReadDuration(const Words& words,
                                         const CompiledVocabulary& v) {
  ValueReading reading;
  reading.used.assign(words.size(), false);
  // Pairs add up while their units get smaller in one clause ("1 year 2
  // months"); a pair that starts again ("2 months, like 9 weeks") is
  // another reading of the same duration, and the result spans them all.
  Sum sum;
  auto add = [&](double low_days, double high_days, double unit_days,
                 int clause) {
    if (sum.unit == 0 || unit_days >= sum.unit || clause != sum.clause)
      sum.Restart(&reading);
    sum.low += low_days;
    sum.high += high_days;
    sum.unit = unit_days;
    sum.clause = clause;
  };
  for (size_t i = 0; i < words.size();) {
    auto low = NumberAt(words, i, v);
    if (!low) {
      // A unit with no number but a half: "mes y medio", "week and a half".
      auto unit = v.duration_units.find(words[i].word);
      const size_t half =
          unit == v.duration_units.end() ? 0 : HalfAt(words, i + 1, v);
      if (half > 0 && (i == 0 || !NumberAt(words, i - 1, v))) {
        add(1.5 * unit->second, 1.5 * unit->second, unit->second,
            words[i].clause);
        for (size_t k = i; k <= i + half; ++k) reading.used[k] = true;
        i += half + 1;
        continue;
      }
      ++i;
      continue;
    }
    // A range: "2 3 months" (from "2-3"), "2 or 3 months", "2 to 3 months".
    size_t j = low->end;
    if (size_t h = HalfAt(words, j, v); h > 0) {
      low->value += 0.5;
      j += h;
      low->end = j;
    }
    Number upper = *low;
    if (j < words.size() && (v.connectors.contains(words[j].word) ||
                             v.filler.contains(words[j].word))) {
      ++j;  // "2 or 3", "2 to 3"
    }
    if (j < words.size()) {
      if (auto second = NumberAt(words, j, v); second && !second->article) {
        upper = *second;
      }
    }
    j = upper.end;
    // One filler word may stand before the unit: "a couple of weeks".
    if (j < words.size() && !v.duration_units.contains(words[j].word) &&
        v.filler.contains(words[j].word)) {
      ++j;
    }
    if (j >= words.size()) break;
    auto unit = v.duration_units.find(words[j].word);
    if (unit == v.duration_units.end()) {
      i = low->end;
      continue;
    }
    // "two and a half months", "a month and a half", "dos meses y medio".
    double half = 0;
    size_t end = j + 1;
    if (size_t h = HalfAt(words, end, v); h > 0) {
      half = 0.5;
      end += h;
    }
    add((low->value + half) * unit->second,
        (std::max(low->value, upper.value) + half) * unit->second, unit->second,
        words[j].clause);
    for (size_t k = i; k < end; ++k) reading.used[k] = true;
    i = end;
  }
  if (sum.Started()) {
    sum.Restart(&reading);
    return reading;
  }
  std::optional<double> days;
  for (const auto& [phrase, value] : v.duration_phrases) {
    for (size_t s = 0; s + phrase.size() <= words.size(); ++s) {
      bool at = true;
      for (size_t k = 0; k < phrase.size() && at; ++k) {
        at = words[s + k].word == phrase[k];
      }
      if (!at) continue;
      for (size_t k = 0; k < phrase.size(); ++k) reading.used[s + k] = true;
      days = std::max(days.value_or(value), value);
    }
  }
  if (!days) return std::nullopt;
  reading.low = reading.high = *days;
  return reading;
}

std::optional<ValueReading> ReadNumber(const Words& words,
                                       const CompiledVocabulary& v) {
  std::vector<std::pair<size_t, Number>> numbers;
  for (size_t i = 0; i < words.size();) {
    if (auto n = NumberAt(words, i, v)) {
      numbers.emplace_back(i, *n);
      i = n->end;
    } else {
      ++i;
    }
  }
  if (numbers.size() > 1) {
    numbers.erase(
        std::remove_if(numbers.begin(), numbers.end(),
                       [](const auto& n) { return n.second.article; }),
        numbers.end());
  }
  if (numbers.size() != 1) return std::nullopt;
  const auto& [start, number] = numbers.front();
  ValueReading reading;
  reading.used.assign(words.size(), false);
  reading.low = number.value;
  reading.high = number.high;
  size_t end = number.end;
  // "45 years old" is an age; "3 weeks" is not.
  if (end < words.size()) {
    auto unit = v.duration_units.find(words[end].word);
    if (unit != v.duration_units.end()) {
      if (unit->second < 365) return std::nullopt;
      ++end;
    }
  }
  for (size_t k = start; k < end; ++k) reading.used[k] = true;
  return reading;
}

}  // namespace backchat::engine
