#include "service/dialog_tools/dialog_compiler.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "service/common/content_hash.h"
#include "service/dialog_tools/source_locator.h"
#include "service/common/text_normalizer.h"
#include "service/engine/turn_builder.h"
#include "service/engine/word_stemmer.h"

namespace backchat::engine {

namespace dv1 = ::backchat::dialog::v1;
using google::protobuf::TextFormat;

namespace {

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  if (id[0] < 'a' || id[0] > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::string DialogContentHash(const std::vector<const dv1::Dialog*>& defs) {
  uint64_t hash = kContentHashSeed;
  for (const dv1::Dialog* def : defs) {
    std::string bytes;
    {
      google::protobuf::io::StringOutputStream stream(&bytes);
      google::protobuf::io::CodedOutputStream coded(&stream);
      coded.SetSerializationDeterministic(true);
      def->SerializeToCodedStream(&coded);
    }
    hash = ExtendContentHash(hash, bytes);
  }
  return ContentHashHex(hash);
}

// Validates a parsed dialog and builds its compiled form. One instance per
// compilation.
class DialogCompiler {
 public:
  DialogCompiler(const dv1::Dialog& def, const SourceLocator& where,
                 std::string version)
      : def_(def),
        where_(where),
        version_(std::move(version)),
        out_(std::make_shared<CompiledDialog>()) {}

  absl::StatusOr<std::shared_ptr<const CompiledDialog>> Compile() {
    CompileHeader();
    CompileOptionSets();
    CompileQuestions();
    CompileRedFlags();
    CompileTechniques();
    CompileTechniqueRules();
    CompileFrequencyRules();
    CompileGentleRequirement();
    CompileTexts();
    CompileVocabulary();
    CompileTypedWords();
    for (CompiledQuestion& question : out_->questions) {
      question.shown = engine::ShownQuestion(question);
    }
    if (!errors_.empty()) {
      return absl::InvalidArgumentError(absl::StrJoin(errors_, "\n"));
    }
    out_->version = version_;
    out_->source_path = where_.path();
    return std::shared_ptr<const CompiledDialog>(std::move(out_));
  }

 private:
  void Error(const std::string& location, absl::string_view message) {
    if (errors_.size() < kMaxReportedErrors) {
      errors_.push_back(absl::StrCat(location, ": ", message));
    }
  }

  // Reports `id` if it is not lower_snake_case, or if `is_new` is false
  // (another `what` has it already). `what` names the kind of thing, e.g.
  // "red flag" or "question \"age\": option".
  void CheckId(absl::string_view what, const std::string& id,
               const std::string& location, bool is_new) {
    if (!IsValidId(id)) {
      Error(location, absl::StrFormat("%s id \"%s\" must be lower-case letters, "
                                      "digits and underscores, starting with a "
                                      "letter (at most 64)",
                                      what, id));
    } else if (!is_new) {
      Error(location, absl::StrFormat("%s id \"%s\" is used twice", what, id));
    }
  }

  void CompileHeader() {
    CheckId("dialog", def_.id(), where_.At({{"id"}}), true);
    out_->id = def_.id();
    out_->title = def_.title();
    out_->locale = def_.locale();
    if (def_.locale().empty()) {
      Error(where_.At({{"locale"}}),
            "the dialog needs a locale, the language its texts are in (e.g. "
            "locale: \"en\")");
    }
  }

  // Validates the options written in `owner` (a question or an option set,
  // at `base` of the dialog) and compiles them into `out`.
  template <typename Container>
  void CompileOptions(const Container& options, const std::string& owner,
                      FieldStep base, std::vector<CompiledOption>* out) {
    if (options.size() > kMaxOptionsPerQuestion) {
      Error(where_.At({base}),
            absl::StrFormat("%s has %d options; at most %d are allowed", owner,
                            options.size(), kMaxOptionsPerQuestion));
      return;
    }
    absl::flat_hash_set<std::string> seen;
    for (int i = 0; i < options.size(); ++i) {
      const dv1::Option& option = options.Get(i);
      auto at = [&](absl::string_view field) {
        return where_.At({base, {"options", i}, {field}});
      };
      CheckId(absl::StrCat(owner, ": option"), option.id(), at("id"),
              seen.insert(option.id()).second);
      if (option.label().empty()) {
        Error(at("id"), absl::StrFormat("option \"%s\" of %s has no label",
                                        option.id(), owner));
      }
      CompiledOption compiled;
      compiled.id = option.id();
      compiled.label = option.label();
      compiled.exclusive = option.exclusive();
      if (option.has_range()) {
        compiled.has_range = true;
        compiled.range.at_least = option.range().at_least();
        if (option.range().has_less_than()) {
          compiled.range.less_than = option.range().less_than();
        }
        if (!(compiled.range.at_least < compiled.range.less_than)) {
          Error(at("range"),
                absl::StrFormat("option \"%s\" of %s has an empty range: "
                                "at_least must be below less_than",
                                option.id(), owner));
        }
      }
      compiled.phrases.push_back(NormalizedWords(option.label()));
      for (const std::string& synonym : option.synonyms()) {
        Phrase phrase = NormalizedWords(synonym);
        if (phrase.empty()) {
          Error(at("synonyms"),
                absl::StrFormat("option \"%s\" of %s has a synonym with no "
                                "letters or digits",
                                option.id(), owner));
          continue;
        }
        compiled.phrases.push_back(std::move(phrase));
      }
      out->push_back(std::move(compiled));
    }
  }

  void CompileOptionSets() {
    for (int i = 0; i < def_.option_sets_size(); ++i) {
      const dv1::OptionSet& set = def_.option_sets(i);
      const std::string owner = absl::StrFormat("option set \"%s\"", set.id());
      std::vector<CompiledOption> options;
      CompileOptions(set.options(), owner, {"option_sets", i}, &options);
      CheckId("option set", set.id(), where_.At({{"option_sets", i}, {"id"}}),
              option_sets_.emplace(set.id(), std::move(options)).second);
    }
  }

  void CompileQuestions() {
    if (def_.questions_size() == 0) {
      Error(where_.path(), "the dialog has no questions");
      return;
    }
    for (int i = 0; i < def_.questions_size(); ++i) {
      const std::string& id = def_.questions(i).id();
      CheckId("question", id, where_.At({{"questions", i}, {"id"}}),
              out_->question_index_.emplace(id, i).second);
    }
    out_->questions.resize(def_.questions_size());
    for (int i = 0; i < def_.questions_size(); ++i) {
      CompileQuestion(i);
    }
    for (int q = 0; q < static_cast<int>(out_->questions.size()); ++q) {
      for (int earlier : out_->questions[q].ask_if.questions) {
        if (earlier >= 0 && earlier < q) {
          out_->questions[earlier].gates.push_back(q);
        }
      }
    }
  }

  void CompileQuestion(int i) {
    const dv1::Question& def = def_.questions(i);
    CompiledQuestion& q = out_->questions[i];
    const std::string owner = absl::StrFormat("question \"%s\"", def.id());
    q.id = def.id();
    q.text = def.text();
    q.help = def.help();
    q.why = def.why();
    q.kind = def.kind();
    q.value_kind = def.value_kind();
    if (def.text().empty()) {
      Error(where_.At({{"questions", i}, {"id"}}),
            absl::StrFormat("%s has no text", owner));
    }
    if (def.kind() != triage::v1::QUESTION_KIND_SINGLE_CHOICE &&
        def.kind() != triage::v1::QUESTION_KIND_MULTIPLE_CHOICE) {
      Error(where_.At({{"questions", i}, {"id"}}),
            absl::StrFormat("%s needs a kind: QUESTION_KIND_SINGLE_CHOICE or "
                            "QUESTION_KIND_MULTIPLE_CHOICE",
                            owner));
    }
    if (!def.option_set().empty()) {
      if (def.options_size() > 0) {
        Error(where_.At({{"questions", i}, {"option_set"}}),
              absl::StrFormat("%s has both options and an option_set; use one",
                              owner));
      }
      auto it = option_sets_.find(def.option_set());
      if (it == option_sets_.end()) {
        Error(where_.At({{"questions", i}, {"option_set"}}),
              absl::StrFormat("%s uses unknown option set \"%s\"", owner,
                              def.option_set()));
      } else {
        q.options = it->second;
      }
    } else {
      CompileOptions(def.options(), owner, {"questions", i}, &q.options);
    }
    if (q.options.size() < 2 && (def.option_set().empty() ||
                                 option_sets_.contains(def.option_set()))) {
      Error(where_.At({{"questions", i}, {"id"}}),
            absl::StrFormat("%s needs at least two options", owner));
    }
    for (size_t o = 0; o < q.options.size(); ++o) {
      const CompiledOption& option = q.options[o];
      if (option.exclusive && !q.multiple_choice()) {
        Error(where_.At({{"questions", i}, {"options", static_cast<int>(o)}}),
              absl::StrFormat("option \"%s\" of %s is exclusive, which only "
                              "means something in a multiple-choice question",
                              option.id, owner));
      }
      if (option.has_range && q.value_kind == dv1::VALUE_KIND_UNSPECIFIED) {
        Error(where_.At({{"questions", i}, {"options", static_cast<int>(o)}}),
              absl::StrFormat("option \"%s\" of %s has a range but the "
                              "question has no value_kind",
                              option.id, owner));
      }
    }
    if (q.value_kind != dv1::VALUE_KIND_UNSPECIFIED) {
      if (q.multiple_choice()) {
        Error(where_.At({{"questions", i}, {"value_kind"}}),
              absl::StrFormat("%s has a value_kind, which needs a "
                              "single-choice question",
                              owner));
      }
      CheckRangesDisjoint(i, owner);
    }
    for (int c = 0; c < def.ask_if_size(); ++c) {
      q.ask_if.any.push_back(CompileCondition(
          def.ask_if(c), owner, /*before_question=*/i,
          [&](int clause, absl::string_view field) {
            return where_.At({{"questions", i},
                              {"ask_if", c},
                              {"answer", clause},
                              {field}});
          }));
    }
    FinishRule(&q.ask_if);
  }

  void CheckRangesDisjoint(int i, const std::string& owner) {
    const CompiledQuestion& q = out_->questions[i];
    bool any_range = false;
    for (size_t a = 0; a < q.options.size(); ++a) {
      if (!q.options[a].has_range) continue;
      any_range = true;
      for (size_t b = a + 1; b < q.options.size(); ++b) {
        if (!q.options[b].has_range) continue;
        const ValueRange& ra = q.options[a].range;
        const ValueRange& rb = q.options[b].range;
        if (ra.at_least < rb.less_than && rb.at_least < ra.less_than) {
          Error(where_.At({{"questions", i}, {"options", static_cast<int>(b)},
                           {"range"}}),
                absl::StrFormat("options \"%s\" and \"%s\" of %s have "
                                "overlapping ranges",
                                q.options[a].id, q.options[b].id, owner));
        }
      }
    }
    if (!any_range) {
      Error(where_.At({{"questions", i}, {"value_kind"}}),
            absl::StrFormat("%s has a value_kind but no option has a range",
                            owner));
    }
  }

  // Compiles one Condition. `before_question` >= 0 restricts it to earlier
  // questions (ask_if); `at(clause, field)` locates a clause's field.
  template <typename Locate>
  Conjunction CompileCondition(const dv1::Condition& condition,
                               const std::string& owner, int before_question,
                               Locate at) {
    Conjunction conjunction;
    if (condition.answer_size() == 0) {
      Error(at(-1, ""), absl::StrFormat("%s has a condition with no answer "
                                        "clause",
                                        owner));
    }
    for (int c = 0; c < condition.answer_size(); ++c) {
      const dv1::AnswerClause& clause = condition.answer(c);
      const int q = out_->QuestionIndex(clause.question());
      if (q < 0) {
        Error(at(c, "question"),
              absl::StrFormat("%s refers to unknown question \"%s\"", owner,
                              clause.question()));
        continue;
      }
      if (before_question >= 0 && q >= before_question) {
        Error(at(c, "question"),
              absl::StrFormat("%s: ask_if may only refer to earlier questions, "
                              "but \"%s\" is not asked before it",
                              owner, clause.question()));
        continue;
      }
      if (clause.any_of_size() == 0) {
        Error(at(c, "question"),
              absl::StrFormat("%s: the clause on question \"%s\" lists no "
                              "option in any_of",
                              owner, clause.question()));
        continue;
      }
      Clause compiled{q, 0};
      const CompiledQuestion& target = out_->questions[q];
      for (const std::string& option_id : clause.any_of()) {
        const int o = target.OptionIndex(option_id);
        if (o < 0) {
          Error(at(c, "any_of"),
                absl::StrFormat("%s refers to option \"%s\", which question "
                                "\"%s\" does not have",
                                owner, option_id, clause.question()));
          continue;
        }
        compiled.options |= OptionMask{1} << o;
      }
      conjunction.clauses.push_back(compiled);
    }
    return conjunction;
  }

  static void FinishRule(Rule* rule) {
    for (const Conjunction& conjunction : rule->any) {
      for (const Clause& clause : conjunction.clauses) {
        rule->questions.push_back(clause.question);
      }
    }
    std::sort(rule->questions.begin(), rule->questions.end());
    rule->questions.erase(
        std::unique(rule->questions.begin(), rule->questions.end()),
        rule->questions.end());
    for (int q : rule->questions) {
      if (q < 64) rule->first_questions |= uint64_t{1} << q;
    }
  }

  // Compiles the `when` conditions of the rule at list[index] into `rule`.
  // Runs after every question is compiled, so any question may be named.
  template <typename Conditions>
  void CompileWhen(const Conditions& when, const std::string& owner,
                   absl::string_view list, int index, Rule* rule) {
    for (int c = 0; c < when.size(); ++c) {
      rule->any.push_back(CompileCondition(
          when.Get(c), owner, /*before_question=*/-1,
          [&](int clause, absl::string_view field) {
            return where_.At(
                {{list, index}, {"when", c}, {"answer", clause}, {field}});
          }));
    }
    FinishRule(rule);
  }

  void CompileRedFlags() {
    absl::flat_hash_set<std::string> seen;
    for (int i = 0; i < def_.red_flags_size(); ++i) {
      const dv1::RedFlagRule& def = def_.red_flags(i);
      const std::string owner = absl::StrFormat("red flag \"%s\"", def.id());
      CheckId("red flag", def.id(), where_.At({{"red_flags", i}, {"id"}}),
              seen.insert(def.id()).second);
      if (def.level() == triage::v1::LEVEL_UNSPECIFIED ||
          def.level() == triage::v1::LEVEL_SELF_CARE) {
        // A missing level has no place of its own: point at the flag's id.
        Error(where_.At({{"red_flags", i},
                         {def.level() == triage::v1::LEVEL_UNSPECIFIED ? "id"
                                                                       : "level"}}),
              absl::StrFormat("%s needs a level of LEVEL_EMERGENCY, "
                              "LEVEL_URGENT or LEVEL_SEE_DOCTOR",
                              owner));
      }
      if (def.reason().empty()) {
        Error(where_.At({{"red_flags", i}, {"id"}}),
              absl::StrFormat("%s has no reason: the plain words shown when "
                              "it fires",
                              owner));
      }
      if (def.when_size() == 0) {
        Error(where_.At({{"red_flags", i}, {"id"}}),
              absl::StrFormat("%s has no `when`, so it would fire for everyone",
                              owner));
      }
      CompiledRedFlag flag;
      flag.id = def.id();
      flag.level = def.level();
      flag.reason = def.reason();
      flag.source = def.source();
      CompileWhen(def.when(), owner, "red_flags", i, &flag.rule);
      out_->red_flags.push_back(std::move(flag));
    }
  }

  void CompileTechniques() {
    for (int i = 0; i < def_.techniques_size(); ++i) {
      const dv1::Technique& def = def_.techniques(i);
      CheckId("technique", def.id(), where_.At({{"techniques", i}, {"id"}}),
              technique_index_.emplace(def.id(), i).second);
      if (def.name().empty()) {
        Error(where_.At({{"techniques", i}, {"id"}}),
              absl::StrFormat("technique \"%s\" has no name", def.id()));
      }
      out_->techniques.push_back(
          {def.id(), def.name(), def.description(), def.gentle()});
    }
  }

  // Shared checks of an ordered rule list: the last rule has no `when`
  // (so that a result always exists) and no rule follows one without.
  template <typename Rules>
  void CheckOrderedRules(const Rules& rules, absl::string_view list,
                         absl::string_view what) {
    if (rules.size() == 0) {
      Error(where_.path(), absl::StrFormat("the dialog has no %s", list));
      return;
    }
    for (int i = 0; i + 1 < rules.size(); ++i) {
      if (rules.Get(i).when_size() == 0) {
        Error(where_.At({{list, i}}),
              absl::StrFormat("%s %d has no `when`, so the %s after it can "
                              "never apply; only the last rule may have none",
                              list, i + 1, list));
      }
    }
    if (rules.Get(rules.size() - 1).when_size() != 0) {
      Error(where_.At({{list, static_cast<int>(rules.size()) - 1}}),
            absl::StrFormat("the last of the %s must have no `when`, so that "
                            "every self-care outcome has a %s",
                            list, what));
    }
  }

  void CompileTechniqueRules() {
    CheckOrderedRules(def_.technique_rules(), "technique_rules", "technique");
    absl::flat_hash_set<std::string> seen;
    for (int i = 0; i < def_.technique_rules_size(); ++i) {
      const dv1::TechniqueRule& def = def_.technique_rules(i);
      const std::string owner =
          absl::StrFormat("technique rule \"%s\"", def.id());
      CheckId("technique rule", def.id(),
              where_.At({{"technique_rules", i}, {"id"}}),
              seen.insert(def.id()).second);
      CompiledTechniqueRule rule;
      rule.id = def.id();
      auto it = technique_index_.find(def.technique());
      if (it == technique_index_.end()) {
        Error(where_.At({{"technique_rules", i}, {"technique"}}),
              absl::StrFormat("%s names unknown technique \"%s\"", owner,
                              def.technique()));
      } else {
        rule.technique = it->second;
      }
      if (def.reason().empty()) {
        Error(where_.At({{"technique_rules", i}, {"technique"}}),
              absl::StrFormat("%s has no reason", owner));
      }
      rule.reason = def.reason();
      rule.source = def.source();
      CompileWhen(def.when(), owner, "technique_rules", i, &rule.rule);
      out_->technique_rules.push_back(std::move(rule));
    }
  }

  void CompileFrequencyRules() {
    CheckOrderedRules(def_.frequency_rules(), "frequency_rules", "frequency");
    absl::flat_hash_set<std::string> seen;
    for (int i = 0; i < def_.frequency_rules_size(); ++i) {
      const dv1::FrequencyRule& def = def_.frequency_rules(i);
      const std::string owner =
          absl::StrFormat("frequency rule \"%s\"", def.id());
      CheckId("frequency rule", def.id(),
              where_.At({{"frequency_rules", i}, {"id"}}),
              seen.insert(def.id()).second);
      if (def.frequency().empty()) {
        Error(where_.At({{"frequency_rules", i}, {"id"}}),
              absl::StrFormat("%s has no frequency text", owner));
      }
      CompiledFrequencyRule rule;
      rule.id = def.id();
      rule.frequency = def.frequency();
      rule.note = def.note();
      rule.source = def.source();
      CompileWhen(def.when(), owner, "frequency_rules", i, &rule.rule);
      out_->frequency_rules.push_back(std::move(rule));
    }
  }

  void CompileTexts() {
    out_->level_texts.resize(triage::v1::LEVEL_SELF_CARE + 1);
    std::vector<bool> seen(out_->level_texts.size(), false);
    for (int i = 0; i < def_.levels_size(); ++i) {
      const dv1::LevelText& def = def_.levels(i);
      const int level = def.level();
      if (level <= 0 || level >= static_cast<int>(seen.size())) {
        Error(where_.At({{"levels", i}, {"level"}}), "levels entry needs a level");
        continue;
      }
      if (seen[level]) {
        Error(where_.At({{"levels", i}, {"level"}}),
              absl::StrFormat("two levels entries for %s",
                              triage::v1::Level_Name(def.level())));
      }
      if (def.headline().empty() || def.next_steps().empty()) {
        Error(where_.At({{"levels", i}, {"level"}}),
              absl::StrFormat("the levels entry for %s needs a headline and "
                              "next_steps",
                              triage::v1::Level_Name(def.level())));
      }
      seen[level] = true;
      out_->level_texts[level] = {def.headline(), def.next_steps()};
    }
    for (int level = triage::v1::LEVEL_EMERGENCY;
         level <= triage::v1::LEVEL_SELF_CARE; ++level) {
      if (!seen[level]) {
        Error(where_.path(),
              absl::StrFormat("the dialog has no levels entry for %s",
                              triage::v1::Level_Name(
                                  static_cast<triage::v1::Level>(level))));
      }
    }
    out_->self_care_advice = def_.self_care_advice();
    if (def_.self_care_advice().session_length().empty()) {
      Error(where_.At({{"self_care_advice"}}),
            "self_care_advice needs a session_length");
    }
    out_->disclaimer = def_.disclaimer();
    if (def_.disclaimer().empty()) {
      Error(where_.path(), "the dialog has no disclaimer");
    }
    out_->messages = def_.messages();
    const dv1::Messages& m = def_.messages();
    if (m.not_understood().empty() || m.ambiguous().empty() ||
        m.exclusive_combined().empty() || m.unsure().empty() ||
        m.confirm_single().empty() || m.confirm_multiple().empty() ||
        m.confirm_exclusive().empty() || m.confirm_refused().empty() ||
        m.confirm_yes_label().empty() || m.confirm_no_label().empty() ||
        m.read_back().empty()) {
      Error(where_.At({{"messages"}}),
            "messages needs not_understood, ambiguous, exclusive_combined, "
            "unsure, confirm_single, confirm_multiple, confirm_exclusive, "
            "confirm_refused, confirm_yes_label, confirm_no_label and "
            "read_back");
    }
    CompileActionLabels(m);
  }

  // The outcome actions' labels are optional (a deployment with care
  // contacts requires them), but go together, and a call's label shows the
  // number: channels without buttons show only the label.
  void CompileActionLabels(const dv1::Messages& m) {
    const std::pair<absl::string_view, const std::string*> labels[] = {
        {"call_emergency_label", &m.call_emergency_label()},
        {"call_urgent_label", &m.call_urgent_label()},
        {"call_clinic_label", &m.call_clinic_label()},
        {"book_label", &m.book_label()}};
    int set = 0;
    for (const auto& [field, text] : labels) {
      if (text->empty()) continue;
      ++set;
      if (field != "book_label" && !absl::StrContains(*text, "{number}")) {
        Error(where_.At({{"messages"}, {field}}),
              absl::StrFormat("messages.%s \"%s\" must contain {number}, the "
                              "number to call",
                              field, *text));
      }
    }
    if (set != 0 && set != 4) {
      Error(where_.At({{"messages"}}),
            "messages: call_emergency_label, call_urgent_label, "
            "call_clinic_label and book_label go together (set all four or "
            "none)");
    }
  }

  void CompileVocabulary() {
    const dv1::Vocabulary& def = def_.vocabulary();
    CompiledVocabulary& v = out_->vocabulary;
    auto single_words = [&](const auto& entries, absl::string_view list,
                            absl::flat_hash_map<std::string, double>* out) {
      for (int i = 0; i < entries.size(); ++i) {
        for (const std::string& word : entries.Get(i).words()) {
          Phrase phrase = NormalizedWords(word);
          if (phrase.size() != 1) {
            Error(where_.At({{"vocabulary"}, {list, i}}),
                  absl::StrFormat("vocabulary %s \"%s\" must be one word",
                                  list, word));
            continue;
          }
          (*out)[phrase[0]] = entries.Get(i).value();
        }
      }
    };
    single_words(def.numbers(), "numbers", &v.numbers);
    single_words(def.duration_units(), "duration_units", &v.duration_units);
    for (const auto& entry : def.duration_phrases()) {
      for (const std::string& words : entry.words()) {
        Phrase phrase = NormalizedWords(words);
        if (!phrase.empty()) v.duration_phrases.emplace_back(phrase, entry.value());
      }
    }
    for (const std::string& word : def.connectors()) {
      for (std::string& w : NormalizedWords(word)) v.connectors.insert(w);
    }
    auto phrases = [](const auto& texts, std::vector<Phrase>* out) {
      for (const std::string& text : texts) {
        Phrase phrase = NormalizedWords(text);
        if (!phrase.empty()) out->push_back(std::move(phrase));
      }
    };
    phrases(def.uncertain(), &v.uncertain);
    phrases(def.confirm_yes(), &v.confirm_yes);
    phrases(def.confirm_no(), &v.confirm_no);
    phrases(def.probably_yes(), &v.probably_yes);
    phrases(def.probably_no(), &v.probably_no);
    for (const auto* list : {&v.uncertain, &v.probably_yes, &v.probably_no}) {
      for (const Phrase& phrase : *list)
        v.hedge_first_words.insert(phrase.front());
    }
    for (const auto* list : {&v.uncertain, &v.probably_yes, &v.probably_no,
                             &v.confirm_yes, &v.confirm_no}) {
      for (const Phrase& phrase : *list)
        v.phrase_words.insert(phrase.begin(), phrase.end());
    }
    for (const auto& [phrase, days] : v.duration_phrases) {
      v.phrase_words.insert(phrase.begin(), phrase.end());
    }
    auto words = [](const auto& texts, absl::flat_hash_set<std::string>* out) {
      for (const std::string& text : texts) {
        for (std::string& w : NormalizedWords(text)) out->insert(std::move(w));
      }
    };
    words(def.filler(), &v.filler);
    words(def.negations(), &v.negations);
    words(def.clause_breaks(), &v.clause_breaks);
    v.stemmer = def.stemmer();
    if (!v.stemmer.empty() && !IsStemmerAlgorithm(v.stemmer)) {
      Error(where_.At({{"vocabulary"}, {"stemmer"}}),
            absl::StrFormat("vocabulary stemmer \"%s\" is not a Snowball "
                            "algorithm libstemmer knows (e.g. \"english\", "
                            "\"spanish\")",
                            v.stemmer));
    }
    for (size_t q = 0; q < out_->questions.size(); ++q) {
      if (out_->questions[q].value_kind == dv1::VALUE_KIND_DURATION &&
          v.duration_units.empty()) {
        Error(where_.At({{"questions", static_cast<int>(q)}, {"value_kind"}}),
              absl::StrFormat("question \"%s\" reads durations, but the "
                              "vocabulary has no duration_units",
                              out_->questions[q].id));
      }
    }
  }

  // What the answer matcher reads typed words with: stemmed phrases, the
  // words a misspelling may stand for, and which questions raise red flags.
  void CompileTypedWords() {
    const CompiledVocabulary& v = out_->vocabulary;
    for (const CompiledRedFlag& flag : out_->red_flags) {
      for (int q : flag.rule.questions)
        out_->questions[q].raises_red_flag = true;
    }
    for (CompiledQuestion& question : out_->questions) {
      question.known_words.clear();
      question.known_word_stems.clear();
      question.known_stem_set.clear();
      question.phrases_by_first_stem.clear();
      auto know = [&](const std::string& word) {
        if (question.known_word_stems.contains(word)) return;
        KnownWord known{word, ""};
        StemWord(v.stemmer, word, &known.stem);
        question.known_word_stems.emplace(word, known.stem);
        question.known_stem_set.insert(known.stem);
        question.known_words.push_back(std::move(known));
      };
      for (size_t o = 0; o < question.options.size(); ++o) {
        CompiledOption& option = question.options[o];
        option.stemmed_phrases.clear();
        for (const Phrase& phrase : option.phrases) {
          Phrase stemmed(phrase.size());
          for (size_t w = 0; w < phrase.size(); ++w) {
            StemWord(v.stemmer, phrase[w], &stemmed[w]);
            know(phrase[w]);
          }
          if (!stemmed.empty()) {
            question.phrases_by_first_stem[stemmed.front()].emplace_back(
                static_cast<int>(o),
                static_cast<int>(option.stemmed_phrases.size()));
          }
          option.stemmed_phrases.push_back(std::move(stemmed));
        }
      }
      if (question.value_kind != dv1::VALUE_KIND_UNSPECIFIED) {
        for (const auto& [word, value] : v.numbers) know(word);
        for (const auto& [word, days] : v.duration_units) know(word);
      }
    }
  }

  void CompileGentleRequirement() {
    const auto& when = def_.require_gentle_technique_when();
    for (int c = 0; c < when.size(); ++c) {
      out_->require_gentle_technique.push_back(CompileCondition(
          when.Get(c), "require_gentle_technique_when", /*before_question=*/-1,
          [&](int clause, absl::string_view field) {
            return where_.At({{"require_gentle_technique_when", c},
                              {"answer", clause},
                              {field}});
          }));
    }
  }

  const dv1::Dialog& def_;
  const SourceLocator& where_;
  const std::string version_;
  std::shared_ptr<CompiledDialog> out_;
  std::vector<std::string> errors_;
  absl::flat_hash_map<std::string, std::vector<CompiledOption>> option_sets_;
  absl::flat_hash_map<std::string, int> technique_index_;
};

absl::StatusOr<ParsedDialog> ParseDialogText(absl::string_view text,
                                             absl::string_view source_path) {
  constexpr size_t kMaxDialogBytes = 16 << 20;
  if (text.size() > kMaxDialogBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        source_path, ": the dialog file is larger than 16 MiB"));
  }
  ParsedDialog parsed;
  parsed.path = std::string(source_path);
  parsed.tree = std::make_unique<TextFormat::ParseInfoTree>();
  const absl::Status syntax =
      ParseTextFormat(text, source_path, &parsed.def, parsed.tree.get());
  if (!syntax.ok()) return syntax;
  return parsed;
}

absl::StatusOr<ParsedDialog> ReadDialogFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot open the dialog file"));
  }
  std::stringstream text;
  text << file.rdbuf();
  if (file.bad()) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot read the dialog file"));
  }
  return ParseDialogText(text.str(), path);
}

absl::StatusOr<std::shared_ptr<const CompiledDialog>> CompileDialogDefinition(
    const dv1::Dialog& def, const SourceLocator& where, std::string version) {
  DialogCompiler compiler(def, where, std::move(version));
  return compiler.Compile();
}

absl::StatusOr<std::shared_ptr<const CompiledDialog>> CompileDialogText(
    absl::string_view text, absl::string_view source_path) {
  auto parsed = ParseDialogText(text, source_path);
  if (!parsed.ok()) return parsed.status();
  return CompileDialogDefinition(parsed->def, parsed->Locator(),
                                 DialogContentHash({&parsed->def}));
}

absl::StatusOr<std::shared_ptr<const CompiledDialog>> LoadDialogFile(
    const std::string& path) {
  auto parsed = ReadDialogFile(path);
  if (!parsed.ok()) return parsed.status();
  return CompileDialogDefinition(parsed->def, parsed->Locator(),
                                 DialogContentHash({&parsed->def}));
}

}  // namespace backchat::engine
