#include "service/engine/typed_words.h"

#include <algorithm>

#include "service/common/text_normalizer.h"
#include "service/engine/word_stemmer.h"

namespace backchat::engine {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Splits raw text at clause punctuation; a '.' between digits ("1.5") is a
// decimal point, not a clause end.
std::vector<absl::string_view> SplitClauses(absl::string_view text) {
  std::vector<absl::string_view> clauses;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    bool ends = c == ',' || c == ';' || c == ':' || c == '!' || c == '?' ||
                c == '\n' || c == '\r';
    if (c == '.') {
      ends = !(i > 0 && i + 1 < text.size() && IsDigit(text[i - 1]) &&
               IsDigit(text[i + 1]));
    }
    if (ends) {
      clauses.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  clauses.push_back(text.substr(start));
  return clauses;
}

bool IsVocabularyWord(const CompiledVocabulary& v, const std::string& word) {
  return v.filler.contains(word) || v.negations.contains(word) ||
         v.connectors.contains(word) || v.clause_breaks.contains(word) ||
         v.numbers.contains(word) || v.duration_units.contains(word);
}

// Maps a misspelt word to the one known word closest to it, if any.
void Correct(const CompiledQuestion& question, const CompiledVocabulary& v,
             TypedWord* w) {
  if (w->typed.size() < 4 || IsDigitsWord(w->typed)) return;
  if (question.known_word_stems.contains(w->typed) ||
      question.known_stem_set.contains(w->stem)) {
    return;
  }
  if (IsVocabularyWord(v, w->typed) || v.phrase_words.contains(w->typed))
    return;
  const int max = w->typed.size() >= 8 ? 2 : 1;
  // Typos seldom change the first letter; requiring it keeps "gone" from
  // reading as "none", and the search cheap.
  int best = max + 1;
  const KnownWord* best_word = nullptr;
  bool tie = false;
  for (const KnownWord& known : question.known_words) {
    if (known.word.size() < 4 || known.word[0] != w->typed[0]) continue;
    const int d = BoundedEditDistance(w->typed, known.word, best);
    if (d < best) {
      best = d;
      best_word = &known;
      tie = false;
    } else if (d == best && best_word != nullptr &&
               known.stem != best_word->stem) {
      tie = true;
    }
  }
  if (best_word == nullptr || tie || best > max) return;
  w->word = best_word->word;
  w->stem = best_word->stem;
  w->corrected = true;
}

}  // namespace

bool IsDigitsWord(absl::string_view word) {
  return !word.empty() && IsDigit(word[0]);
}

int BoundedEditDistance(absl::string_view a, absl::string_view b, int max) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  if (std::abs(n - m) > max) return max + 1;
  if (n > 30 || m > 30) return a == b ? 0 : max + 1;
  // Three rows of the classic table (the swap needs two back).
  int rows[3][32];
  int* before = rows[0];
  int* previous = rows[1];
  int* current = rows[2];
  for (int j = 0; j <= m; ++j) previous[j] = j;
  for (int i = 1; i <= n; ++i) {
    current[0] = i;
    int row_min = current[0];
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int d = std::min(
          {previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d = std::min(d, before[j - 2] + 1);
      }
      current[j] = d;
      row_min = std::min(row_min, d);
    }
    if (row_min > max) return max + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[m], max + 1);
}

std::vector<TypedWord> ReadTypedWords(const CompiledQuestion& question,
                                      const CompiledVocabulary& vocabulary,
                                      absl::string_view text) {
  std::vector<TypedWord> words;
  words.reserve(text.size() / 4 + 1);  // most words are longer than 3 letters
  int clause = 0;
  for (absl::string_view raw : SplitClauses(text)) {
    const std::string normalized = NormalizeForMatching(raw);
    for (absl::string_view typed : SplitWords(normalized)) {
      if (vocabulary.clause_breaks.contains(typed)) {
        ++clause;
        continue;
      }
      TypedWord w;
      w.typed = std::string(typed);
      w.word = w.typed;
      if (auto known = question.known_word_stems.find(w.word);
          known != question.known_word_stems.end()) {
        w.stem = known->second;  // looked up, not computed again
      } else {
        StemWord(vocabulary.stemmer, w.word, &w.stem);
      }
      w.clause = clause;
      Correct(question, vocabulary, &w);
      words.push_back(std::move(w));
    }
    ++clause;
  }
  return words;
}

}  // namespace backchat::engine
