// The compiled form of a dialog file: ids resolved to indexes, option sets
// expanded, synonyms normalized. Built once by CompileDialog
// (dialog_compiler.h) and never changed afterwards, so one instance is
// shared by every session and thread without locking.
#ifndef BACKCHAT_SERVICE_ENGINE_COMPILED_DIALOG_H_
#define BACKCHAT_SERVICE_ENGINE_COMPILED_DIALOG_H_

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "backchat/dialog/v1/dialog.pb.h"
#include "backchat/triage/v1/types.pb.h"

namespace backchat::engine {

using triage::v1::Level;
using triage::v1::QuestionKind;

// The options chosen for one question, bit i for option i. 0 means "not
// answered"; a valid answer always has at least one bit.
using OptionMask = uint64_t;
inline constexpr int kMaxOptionsPerQuestion = 64;

// Holds when the answer to `question` includes any option in `options`.
struct Clause {
  int question = 0;
  OptionMask options = 0;
};

// Holds when all clauses hold.
struct Conjunction {
  std::vector<Clause> clauses;
};

// Holds when any conjunction holds; a rule with no conjunction always holds.
struct Rule {
  std::vector<Conjunction> any;
  // Every question the rule mentions, ascending, without repeats.
  std::vector<int> questions;
  // The same for questions 0..63, as bits: Mentions() is on the engine's
  // hot path (a binary search there cost 14% of a turn, by callgrind).
  uint64_t first_questions = 0;

  bool Mentions(int question) const;
};

// Values v with at_least <= v < less_than.
struct ValueRange {
  double at_least = 0;
  double less_than = std::numeric_limits<double>::infinity();
  bool Contains(double v) const { return v >= at_least && v < less_than; }
};

// A phrase a person may type, as normalized words.
using Phrase = std::vector<std::string>;

struct CompiledOption {
  std::string id;
  std::string label;
  bool exclusive = false;
  bool has_range = false;
  ValueRange range;
  // The label and each synonym, normalized.
  std::vector<Phrase> phrases;
  // The same phrases, each word stemmed (word_stemmer.h): what typed words
  // are matched against.
  std::vector<Phrase> stemmed_phrases;
};

// A word of a question's phrases, for reading misspelt typed words.
struct KnownWord {
  std::string word;  // normalized
  std::string stem;
};

struct CompiledQuestion {
  std::string id;
  std::string text;
  std::string help;
  // Why the question is asked (dialog.proto's Question.why); may be empty.
  std::string why;
  QuestionKind kind = triage::v1::QUESTION_KIND_SINGLE_CHOICE;
  dialog::v1::ValueKind value_kind = dialog::v1::VALUE_KIND_UNSPECIFIED;
  std::vector<CompiledOption> options;
  // The question is asked only when this holds (mentions earlier questions
  // only).
  Rule ask_if;
  // Later questions whose ask_if mentions this one, ascending.
  std::vector<int> gates;
  // Some red flag mentions this question: a typed reading of it is
  // confirmed with the person unless it was option numbers, an option's
  // exact label, or a plain value ("3 weeks", "45").
  bool raises_red_flag = false;
  // Every distinct word of the options' phrases (typo correction's
  // candidates), with the vocabulary's number and unit words for a
  // question that reads values.
  std::vector<KnownWord> known_words;
  // The same words to their stems, and the stems, for a lookup (a known
  // word's stem is looked up, not computed again).
  absl::flat_hash_map<std::string, std::string> known_word_stems;
  absl::flat_hash_set<std::string> known_stem_set;
  // Every option phrase by its first stem: (option, phrase) indexes into
  // options[o].stemmed_phrases. Finding phrases costs a lookup per word.
  absl::flat_hash_map<std::string, std::vector<std::pair<int, int>>>
      phrases_by_first_stem;
  // The question as a Turn shows it, progress aside: built once by the
  // compiler (ShownQuestion in turn_builder.h) and copied into each turn,
  // rather than assembled field by field on every turn.
  triage::v1::Question shown;

  bool multiple_choice() const {
    return kind == triage::v1::QUESTION_KIND_MULTIPLE_CHOICE;
  }
  // Index of the option with this id, or -1.
  int OptionIndex(absl::string_view option_id) const;
  // The ids of the options in `options`, in order (views into this).
  std::vector<absl::string_view> OptionIds(OptionMask options) const;
};

struct CompiledRedFlag {
  std::string id;
  Level level = triage::v1::LEVEL_UNSPECIFIED;
  std::string reason;
  // The rule's basis (dialog.proto's RedFlagRule.source); may be empty.
  std::string source;
  Rule rule;
};

struct CompiledTechnique {
  std::string id;
  std::string name;
  std::string description;
  bool gentle = false;
};

struct CompiledTechniqueRule {
  std::string id;
  int technique = 0;
  std::string reason;
  std::string source;  // As CompiledRedFlag::source.
  Rule rule;
};

struct CompiledFrequencyRule {
  std::string id;
  std::string frequency;
  std::string note;
  std::string source;  // As CompiledRedFlag::source.
  Rule rule;
};

struct LevelText {
  std::string headline;
  std::string next_steps;
};

// The words the free-text matcher reads numbers and durations with.
struct CompiledVocabulary {
  absl::flat_hash_map<std::string, double> numbers;          // word -> value
  absl::flat_hash_map<std::string, double> duration_units;   // word -> days
  std::vector<std::pair<Phrase, double>> duration_phrases;   // phrase -> days
  absl::flat_hash_set<std::string> connectors;
  std::vector<Phrase> uncertain;
  absl::flat_hash_set<std::string> filler;
  absl::flat_hash_set<std::string> negations;
  absl::flat_hash_set<std::string> clause_breaks;
  std::vector<Phrase> confirm_yes;
  std::vector<Phrase> confirm_no;
  std::vector<Phrase> probably_yes;
  std::vector<Phrase> probably_no;
  // Every word of the phrases above and of duration_phrases (never read as
  // a misspelling), and the first words of the hedges (uncertain,
  // probably_yes, probably_no): lookups that keep the matcher cheap.
  absl::flat_hash_set<std::string> phrase_words;
  absl::flat_hash_set<std::string> hedge_first_words;
  // Snowball algorithm name; empty for no stemming.
  std::string stemmer;
};

struct CompiledDialog {
  std::string id;
  std::string title;
  std::string locale;
  // Content hash of the dialog and all its translations (16 hex digits);
  // comments and layout of the files do not change it.
  std::string version;
  // Where the dialog was loaded from, for messages.
  std::string source_path;

  std::vector<CompiledQuestion> questions;
  std::vector<CompiledRedFlag> red_flags;
  std::vector<CompiledTechnique> techniques;
  std::vector<CompiledTechniqueRule> technique_rules;
  std::vector<CompiledFrequencyRule> frequency_rules;
  // Answers that allow only a gentle technique (checked, not used to
  // choose); a rule with no conjunction here means "never".
  std::vector<Conjunction> require_gentle_technique;
  // Indexed by Level (LEVEL_EMERGENCY .. LEVEL_SELF_CARE); entry 0 unused.
  std::vector<LevelText> level_texts;
  dialog::v1::SelfCareAdvice self_care_advice;
  std::string disclaimer;
  CompiledVocabulary vocabulary;
  dialog::v1::Messages messages;

  // Index of the question with this id, or -1.
  int QuestionIndex(absl::string_view question_id) const;

 private:
  friend class DialogCompiler;
  absl::flat_hash_map<std::string, int> question_index_;
};

// True when `a` is more urgent than `b` (EMERGENCY is the most urgent).
inline bool MoreUrgent(Level a, Level b) {
  return a != triage::v1::LEVEL_UNSPECIFIED && a < b;
}

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_ENGINE_COMPILED_DIALOG_H_
