// Word forms: Snowball stemming (libstemmer), so that "lifting", "lifted"
// and "lifts" read as one word. Used by the dialog compiler (option phrases)
// and the answer matcher (typed words), so that both sides agree.
#ifndef BACKCHAT_SERVICE_ENGINE_WORD_STEMMER_H_
#define BACKCHAT_SERVICE_ENGINE_WORD_STEMMER_H_

#include <string>

#include "absl/strings/string_view.h"

namespace backchat::engine {

// True when libstemmer has a Snowball algorithm of this name ("english",
// "spanish"; see sb_stemmer_list()).
bool IsStemmerAlgorithm(absl::string_view algorithm);

// Sets *stem to the stem of a normalized word (text_normalizer.h). An
// empty or unknown algorithm, a word of digits, or a word too short to
// stem leaves the word as it is. Thread-safe: each thread keeps its own
// stemmers, because libstemmer's may not be shared.
void StemWord(absl::string_view algorithm, absl::string_view word,
              std::string* stem);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_ENGINE_WORD_STEMMER_H_
