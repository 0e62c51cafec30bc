// The words of a typed answer as the answer matcher reads them: split into
// clauses, normalized, stemmed, and misspellings mapped to the question's
// own words. Pure; no I/O.
#ifndef BACKCHAT_SERVICE_ENGINE_TYPED_WORDS_H_
#define BACKCHAT_SERVICE_ENGINE_TYPED_WORDS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "service/engine/compiled_dialog.h"

namespace backchat::engine {

struct TypedWord {
  // As typed, normalized (text_normalizer.h).
  std::string typed;
  // `typed`, or the question's word it was read as when misspelt.
  std::string word;
  // The stem of `word` (word_stemmer.h).
  std::string stem;
  // Clauses are separated by punctuation (, ; : . ! ? and line breaks) and
  // by vocabulary.clause_breaks ("but"): a negation does not reach across.
  int clause = 0;
  // `word` is a correction of a misspelling.
  bool corrected = false;
};

// Reads `text` as words. A word of four or more letters that is none of the
// question's words nor a vocabulary word is read as the question's word at
// the smallest edit distance (1, or 2 from eight letters), when exactly one
// word is that close; it is then marked `corrected`.
std::vector<TypedWord> ReadTypedWords(const CompiledQuestion& question,
                                      const CompiledVocabulary& vocabulary,
                                      absl::string_view text);

// The optimal string alignment distance between a and b (insertions,
// deletions, substitutions and swaps of neighbours), or max + 1 when it is
// larger than max.
int BoundedEditDistance(absl::string_view a, absl::string_view b, int max);

// True when `word` is a number in digits ("45", "1.5").
bool IsDigitsWord(absl::string_view word);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_ENGINE_TYPED_WORDS_H_
