// Folding of typed text for matching: the one place that decides which
// differences between two texts do not matter.
#ifndef BACKCHAT_SERVICE_COMMON_TEXT_NORMALIZER_H_
#define BACKCHAT_SERVICE_COMMON_TEXT_NORMALIZER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace backchat::engine {

// Returns `text` lower-cased, with Latin-1 accents removed ("Sí" -> "si"),
// apostrophes dropped ("don't", "don’t" -> "dont"), every other punctuation
// or space character turned into one space, and no leading or trailing
// space. Bytes of other scripts are kept as they are. Never fails: invalid
// UTF-8 is kept byte for byte.
std::string NormalizeForMatching(absl::string_view text);

// Splits normalized text into words. The views point into `normalized`.
std::vector<absl::string_view> SplitWords(absl::string_view normalized);

// NormalizeForMatching then SplitWords, as owned strings (for compiled
// phrases that outlive the input).
std::vector<std::string> NormalizedWords(absl::string_view text);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_COMMON_TEXT_NORMALIZER_H_
