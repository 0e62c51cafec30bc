// Values in typed answers: durations ("3 weeks", "2-3 months", "since
// yesterday") and numbers ("I'm 45", "sixty two"). Pure; no I/O.
#ifndef BACKCHAT_SERVICE_ENGINE_VALUE_READER_H_
#define BACKCHAT_SERVICE_ENGINE_VALUE_READER_H_

#include <optional>
#include <vector>

#include "service/engine/compiled_dialog.h"
#include "service/engine/typed_words.h"

namespace backchat::engine {

struct ValueReading {
  // The value, or the range it lies in ("2-3 months": 60 to 90 days);
  // low == high for one value.
  double low = 0;
  double high = 0;
  // used[i]: words[i] is part of the value.
  std::vector<bool> used;
};

// A duration in days: the sum of every "<number> <unit>" pair ("1 year 2
// months"; a range "2-3 months" or "2 or 3 months" counts both ends; one
// filler word may stand between a number and its unit, "a couple of
// weeks"), else the largest duration phrase ("since yesterday"). nullopt
// when there is neither.
std::optional<ValueReading> ReadDuration(const std::vector<TypedWord>& words,
                                         const CompiledVocabulary& vocabulary);

// The one number in the text, in digits or in words ("sixty two", "sesenta
// y dos"); a lone "a"/"an"-like number word counts only when nothing else
// does. nullopt when there is none or more than one. A duration unit right
// after the number is part of it ("45 years old").
std::optional<ValueReading> ReadNumber(const std::vector<TypedWord>& words,
                                       const CompiledVocabulary& vocabulary);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_ENGINE_VALUE_READER_H_
