// Reads a typed answer as options of a question: the one matcher every
// channel (CLI, web, chat bridges) uses. It never guesses, and it never
// accepts silently a reading that leaves out what the person wrote: a
// likely reading it is not sure of is proposed for confirmation instead,
// and text that could mean more than one answer, or nothing, is reported
// as such so that the question can be asked again.
#ifndef BACKCHAT_SERVICE_ENGINE_ANSWER_MATCHER_H_
#define BACKCHAT_SERVICE_ENGINE_ANSWER_MATCHER_H_

#include "absl/strings/string_view.h"
#include "service/engine/compiled_dialog.h"

namespace backchat::engine {

struct MatchResult {
  enum class Kind {
    kMatched,            // `options` is the answer.
    kConfirm,            // `options` is the likely answer: ask before
                         // recording it.
    kNotUnderstood,      // Nothing matched.
    kAmbiguous,          // A single-choice question matched `options` (>1).
    kExclusiveCombined,  // `options` holds an exclusive option and others.
    kUnsure,             // The person said they are not sure.
  };
  Kind kind = Kind::kNotUnderstood;
  OptionMask options = 0;
};

// Reads `text` as an answer to `question`:
//  1. option numbers ("2", or "1 and 3" for multiple choice), when every
//     word is a number in range or a connector, and an option's exact
//     label, are accepted as they stand;
//  2. otherwise the words (stemmed, misspellings mapped to the question's
//     words; typed_words.h) are matched against the options' labels and
//     synonyms, and, for questions with a value_kind, read as a duration or
//     a number (value_reader.h) mapped to the option whose range holds it.
//     A phrase inside a longer matching phrase of another option does not
//     count ("both legs" beats "legs"). An option whose words follow a
//     negation in the same clause ("no fever", "sin fiebre") is not chosen;
//     a bare yes/no word followed by other words is a negation, not an
//     answer ("no improvement").
//  3. The reading is accepted (kMatched) only when it is certain: no hedge
//     ("maybe"), no negated option, no corrected misspelling, no range
//     across two options, and every word is part of the reading, a number,
//     a connector or a filler word. On a question that can raise a red
//     flag, only a plain value ("3 weeks", "45") is accepted this way.
//     Anything else with a reading is kConfirm; a hedge with no reading is
//     kUnsure; denials of listed options with no other reading propose the
//     exclusive option ("none of these") for confirmation.
MatchResult MatchAnswer(const CompiledQuestion& question,
                        const CompiledVocabulary& vocabulary,
                        absl::string_view text);

// How a reply to a proposed reading reads: kAccept for a confirm_yes
// phrase alone, kRefuse for a confirm_no phrase alone, else kOther (a new
// answer).
enum class ConfirmationWord { kAccept, kRefuse, kOther };
ConfirmationWord ReadConfirmationWord(const CompiledVocabulary& vocabulary,
                                      absl::string_view text);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_ENGINE_ANSWER_MATCHER_H_
