// Reads a typed answer as options of a question: the one matcher every
// channel (CLI, web, chat bridges) uses. It never guesses: text that could
// mean more than one answer, or nothing, is reported as such so that the
// question can be asked again.
#ifndef BACKCHAT_SERVICE_ENGINE_ANSWER_MATCHER_H_
#define BACKCHAT_SERVICE_ENGINE_ANSWER_MATCHER_H_

#include <optional>
#include <vector>

#include "absl/strings/string_view.h"
#include "service/engine/compiled_dialog.h"

namespace backchat::engine {

struct MatchResult {
  enum class Kind {
    kMatched,            // `options` is the answer.
    kNotUnderstood,      // Nothing matched.
    kAmbiguous,          // A single-choice question matched `options` (>1).
    kExclusiveCombined,  // `options` holds an exclusive option and others.
    kUnsure,             // The person said they are not sure.
  };
  Kind kind = Kind::kNotUnderstood;
  OptionMask options = 0;
};

// Reads `text` as an answer to `question`, in this order:
//  1. words that say the person is unsure ("not sure") -> kUnsure;
//  2. option numbers ("2", or "1 and 3" for multiple choice), when every
//     word is a number in range or a connector;
//  3. option labels and synonyms found anywhere in the text, ignoring case,
//     accents and punctuation; a phrase inside a longer matching phrase of
//     another option does not count ("both legs" beats "legs");
//  4. for questions with a value_kind, a duration ("3 weeks", "since
//     yesterday", in days) or a number ("I'm 45"), mapped to the option
//     whose range holds it.
MatchResult MatchAnswer(const CompiledQuestion& question,
                        const CompiledVocabulary& vocabulary,
                        absl::string_view text);

// A duration in days read from normalized words: the sum of every
// "<number> <unit>" pair ("1 year 2 months"), else the largest duration
// phrase ("since yesterday"). nullopt when there is neither.
std::optional<double> ReadDurationDays(
    const std::vector<absl::string_view>& words,
    const CompiledVocabulary& vocabulary);

// The one number written in digits ("I'm 45" -> 45); nullopt when there is
// none or more than one.
std::optional<double> ReadNumber(const std::vector<absl::string_view>& words);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_ENGINE_ANSWER_MATCHER_H_
