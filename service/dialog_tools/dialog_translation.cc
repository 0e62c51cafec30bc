#include "service/dialog_tools/dialog_translation.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace backchat::engine {

namespace dv1 = ::backchat::dialog::v1;

namespace {

// One application of a translation: collects problems, builds the result.
class Translator {
 public:
  Translator(const dv1::Dialog& base, const ParsedDialog& translation)
      : base_(base),
        tr_(translation.def),
        where_(translation.Locator()),
        label_(absl::StrFormat("translation \"%s\"", translation.def.locale())) {}

  absl::StatusOr<dv1::Dialog> Apply() {
    out_ = base_;
    Header();
    OptionSets();
    Questions();
    RedFlags();
    Techniques();
    TechniqueRules();
    FrequencyRules();
    Levels();
    Advice();
    Vocabulary();
    MessagesText();
    if (!errors_.empty()) {
      return absl::InvalidArgumentError(absl::StrJoin(errors_, "\n"));
    }
    return out_;
  }

 private:
  void Error(const std::string& location, absl::string_view message) {
    if (errors_.size() < kMaxReportedErrors) {
      errors_.push_back(absl::StrCat(location, ": ", label_, ": ", message));
    }
  }
  void Missing(absl::string_view what) {
    Error(where_.path(), absl::StrCat("has no ", what));
  }
  void NotAText(std::initializer_list<FieldStep> at, absl::string_view what) {
    Error(where_.At(at),
          absl::StrCat(what, " comes from the base dialog; a translation holds "
                             "only ids and texts"));
  }

  // Index by id of the translation's elements; reports duplicate ids and
  // ids the base does not have.
  template <typename Elements, typename BaseElements>
  absl::flat_hash_map<std::string, int> IndexById(const Elements& elements,
                                                  const BaseElements& base,
                                                  absl::string_view list,
                                                  absl::string_view what) {
    absl::flat_hash_map<std::string, int> base_ids;
    for (int i = 0; i < base.size(); ++i) base_ids.emplace(base.Get(i).id(), i);
    absl::flat_hash_map<std::string, int> index;
    for (int i = 0; i < elements.size(); ++i) {
      const std::string& id = elements.Get(i).id();
      if (!base_ids.contains(id)) {
        Error(where_.At({{list, i}, {"id"}}),
              absl::StrFormat("%s \"%s\" is not in the base dialog", what, id));
      } else if (!index.emplace(id, i).second) {
        Error(where_.At({{list, i}, {"id"}}),
              absl::StrFormat("%s \"%s\" is translated twice", what, id));
      }
    }
    return index;
  }

  // Copies a required text: missing in the translation is an error.
  void Text(const std::string& translated, const std::string& base_text,
            absl::string_view what, std::string* out) {
    if (base_text.empty()) return;
    if (translated.empty()) {
      Missing(what);
      return;
    }
    *out = translated;
  }

  void Header() {
    if (tr_.id() != base_.id()) {
      Error(where_.At({{"id"}}),
            absl::StrFormat("is for dialog \"%s\", not \"%s\"", tr_.id(),
                            base_.id()));
    }
    if (tr_.locale().empty() || tr_.locale() == base_.locale()) {
      Error(where_.At({{"locale"}}),
            absl::StrFormat("needs a locale of its own (the base is \"%s\")",
                            base_.locale()));
    }
    out_.set_locale(tr_.locale());
    Text(tr_.title(), base_.title(), "title", out_.mutable_title());
    Text(tr_.disclaimer(), base_.disclaimer(), "disclaimer",
         out_.mutable_disclaimer());
    if (tr_.require_gentle_technique_when_size() > 0) {
      NotAText({{"require_gentle_technique_when", 0}},
               "require_gentle_technique_when");
    }
  }

  // Translates the options of one question or option set.
  template <typename TrOptions>
  void Options(const TrOptions& tr_options,
               google::protobuf::RepeatedPtrField<dv1::Option>* options,
               const std::string& owner, FieldStep at) {
    absl::flat_hash_map<std::string, int> index;
    for (int i = 0; i < tr_options.size(); ++i) {
      const dv1::Option& option = tr_options.Get(i);
      index.emplace(option.id(), i);
      bool known = false;
      for (const auto& base_option : *options) known |= base_option.id() == option.id();
      if (!known) {
        Error(where_.At({at, {"options", i}, {"id"}}),
              absl::StrFormat("%s has no option \"%s\"", owner, option.id()));
      }
      if (option.exclusive() || option.has_range()) {
        NotAText({at, {"options", i}}, absl::StrFormat(
                     "option \"%s\" of %s: exclusive and range", option.id(), owner));
      }
    }
    for (dv1::Option& option : *options) {
      auto it = index.find(option.id());
      if (it == index.end()) {
        Missing(absl::StrFormat("option \"%s\" of %s", option.id(), owner));
        continue;
      }
      const dv1::Option& tr = tr_options.Get(it->second);
      Text(tr.label(), option.label(),
           absl::StrFormat("label of option \"%s\" of %s", option.id(), owner),
           option.mutable_label());
      if (option.synonyms_size() > 0 && tr.synonyms_size() == 0) {
        Missing(absl::StrFormat("synonyms of option \"%s\" of %s", option.id(),
                                owner));
      }
      *option.mutable_synonyms() = tr.synonyms();
    }
  }

  void OptionSets() {
    const auto index = IndexById(tr_.option_sets(), base_.option_sets(),
                                 "option_sets", "option set");
    for (dv1::OptionSet& set : *out_.mutable_option_sets()) {
      const std::string owner = absl::StrFormat("option set \"%s\"", set.id());
      auto it = index.find(set.id());
      if (it == index.end()) {
        Missing(owner);
        continue;
      }
      Options(tr_.option_sets(it->second).options(), set.mutable_options(), owner,
              {"option_sets", it->second});
    }
  }

  void Questions() {
    const auto index =
        IndexById(tr_.questions(), base_.questions(), "questions", "question");
    for (dv1::Question& q : *out_.mutable_questions()) {
      const std::string owner = absl::StrFormat("question \"%s\"", q.id());
      auto it = index.find(q.id());
      if (it == index.end()) {
        Missing(owner);
        continue;
      }
      const int i = it->second;
      const dv1::Question& tr = tr_.questions(i);
      if (tr.kind() != 0 || !tr.option_set().empty() || tr.ask_if_size() > 0 ||
          tr.value_kind() != 0) {
        NotAText({{"questions", i}, {"id"}},
                 absl::StrCat(owner, ": kind, option_set, ask_if and value_kind"));
      }
      Text(tr.text(), q.text(), absl::StrCat("text of ", owner), q.mutable_text());
      Text(tr.help(), q.help(), absl::StrCat("help of ", owner), q.mutable_help());
      Text(tr.why(), q.why(), absl::StrCat("why of ", owner), q.mutable_why());
      if (!q.option_set().empty()) {
        if (tr.options_size() > 0) {
          NotAText({{"questions", i}, {"options", 0}},
                   absl::StrCat(owner, " takes its options from option set \"",
                                q.option_set(), "\"; its options"));
        }
        continue;
      }
      Options(tr.options(), q.mutable_options(), owner, {"questions", i});
    }
  }

  void RedFlags() {
    const auto index =
        IndexById(tr_.red_flags(), base_.red_flags(), "red_flags", "red flag");
    for (dv1::RedFlagRule& flag : *out_.mutable_red_flags()) {
      const std::string owner = absl::StrFormat("red flag \"%s\"", flag.id());
      auto it = index.find(flag.id());
      if (it == index.end()) {
        Missing(owner);
        continue;
      }
      const dv1::RedFlagRule& tr = tr_.red_flags(it->second);
      if (tr.level() != 0 || tr.when_size() > 0) {
        NotAText({{"red_flags", it->second}, {"id"}},
                 absl::StrCat(owner, ": level and when"));
      }
      Text(tr.reason(), flag.reason(), absl::StrCat("reason of ", owner),
           flag.mutable_reason());
    }
  }

  void Techniques() {
    const auto index = IndexById(tr_.techniques(), base_.techniques(),
                                 "techniques", "technique");
    for (dv1::Technique& technique : *out_.mutable_techniques()) {
      const std::string owner =
          absl::StrFormat("technique \"%s\"", technique.id());
      auto it = index.find(technique.id());
      if (it == index.end()) {
        Missing(owner);
        continue;
      }
      const dv1::Technique& tr = tr_.techniques(it->second);
      if (tr.gentle()) {
        NotAText({{"techniques", it->second}, {"gentle"}},
                 absl::StrCat(owner, ": gentle"));
      }
      Text(tr.name(), technique.name(), absl::StrCat("name of ", owner),
           technique.mutable_name());
      Text(tr.description(), technique.description(),
           absl::StrCat("description of ", owner),
           technique.mutable_description());
    }
  }

  void TechniqueRules() {
    const auto index = IndexById(tr_.technique_rules(), base_.technique_rules(),
                                 "technique_rules", "technique rule");
    for (dv1::TechniqueRule& rule : *out_.mutable_technique_rules()) {
      const std::string owner =
          absl::StrFormat("technique rule \"%s\"", rule.id());
      auto it = index.find(rule.id());
      if (it == index.end()) {
        Missing(owner);
        continue;
      }
      const dv1::TechniqueRule& tr = tr_.technique_rules(it->second);
      if (!tr.technique().empty() || tr.when_size() > 0) {
        NotAText({{"technique_rules", it->second}, {"id"}},
                 absl::StrCat(owner, ": technique and when"));
      }
      Text(tr.reason(), rule.reason(), absl::StrCat("reason of ", owner),
           rule.mutable_reason());
    }
  }

  void FrequencyRules() {
    const auto index = IndexById(tr_.frequency_rules(), base_.frequency_rules(),
                                 "frequency_rules", "frequency rule");
    for (dv1::FrequencyRule& rule : *out_.mutable_frequency_rules()) {
      const std::string owner =
          absl::StrFormat("frequency rule \"%s\"", rule.id());
      auto it = index.find(rule.id());
      if (it == index.end()) {
        Missing(owner);
        continue;
      }
      const dv1::FrequencyRule& tr = tr_.frequency_rules(it->second);
      if (tr.when_size() > 0) {
        NotAText({{"frequency_rules", it->second}, {"id"}},
                 absl::StrCat(owner, ": when"));
      }
      Text(tr.frequency(), rule.frequency(),
           absl::StrCat("frequency of ", owner), rule.mutable_frequency());
      Text(tr.note(), rule.note(), absl::StrCat("note of ", owner),
           rule.mutable_note());
    }
  }

  void Levels() {
    for (dv1::LevelText& level : *out_.mutable_levels()) {
      const std::string name = triage::v1::Level_Name(level.level());
      const dv1::LevelText* tr = nullptr;
      for (const auto& candidate : tr_.levels()) {
        if (candidate.level() == level.level()) tr = &candidate;
      }
      if (tr == nullptr) {
        Missing(absl::StrCat("levels entry for ", name));
        continue;
      }
      Text(tr->headline(), level.headline(), absl::StrCat("headline of ", name),
           level.mutable_headline());
      Text(tr->next_steps(), level.next_steps(),
           absl::StrCat("next_steps of ", name), level.mutable_next_steps());
    }
  }

  void Advice() {
    const dv1::SelfCareAdvice& base = base_.self_care_advice();
    const dv1::SelfCareAdvice& tr = tr_.self_care_advice();
    auto same_length = [&](int base_size, int tr_size, absl::string_view list) {
      if (base_size != tr_size) {
        Error(where_.At({{"self_care_advice"}, {list}}),
              absl::StrFormat("self_care_advice.%s has %d items; the base has %d",
                              list, tr_size, base_size));
      }
    };
    same_length(base.before_session_size(), tr.before_session_size(), "before_session");
    same_length(base.after_session_size(), tr.after_session_size(), "after_session");
    same_length(base.self_massage_size(), tr.self_massage_size(), "self_massage");
    same_length(base.watch_for_size(), tr.watch_for_size(), "watch_for");
    if (tr.session_length().empty()) Missing("self_care_advice.session_length");
    *out_.mutable_self_care_advice() = tr;
  }

  void Vocabulary() {
    const dv1::Vocabulary& base = base_.vocabulary();
    const dv1::Vocabulary& tr = tr_.vocabulary();
    auto needs = [&](bool base_has, bool tr_has, absl::string_view list) {
      if (base_has && !tr_has) Missing(absl::StrCat("vocabulary.", list));
    };
    needs(base.numbers_size() > 0, tr.numbers_size() > 0, "numbers");
    needs(base.duration_units_size() > 0, tr.duration_units_size() > 0,
          "duration_units");
    needs(base.duration_phrases_size() > 0, tr.duration_phrases_size() > 0,
          "duration_phrases");
    needs(base.connectors_size() > 0, tr.connectors_size() > 0, "connectors");
    needs(base.uncertain_size() > 0, tr.uncertain_size() > 0, "uncertain");
    needs(base.filler_size() > 0, tr.filler_size() > 0, "filler");
    needs(base.negations_size() > 0, tr.negations_size() > 0, "negations");
    needs(base.clause_breaks_size() > 0, tr.clause_breaks_size() > 0,
          "clause_breaks");
    needs(base.confirm_yes_size() > 0, tr.confirm_yes_size() > 0,
          "confirm_yes");
    needs(base.confirm_no_size() > 0, tr.confirm_no_size() > 0, "confirm_no");
    needs(!base.stemmer().empty(), !tr.stemmer().empty(), "stemmer");
    needs(base.probably_yes_size() > 0, tr.probably_yes_size() > 0,
          "probably_yes");
    needs(base.probably_no_size() > 0, tr.probably_no_size() > 0,
          "probably_no");
    *out_.mutable_vocabulary() = tr;
  }

  void MessagesText() {
    const dv1::Messages& tr = tr_.messages();
    dv1::Messages* out = out_.mutable_messages();
    const dv1::Messages& base = base_.messages();
    Text(tr.not_understood(), base.not_understood(), "messages.not_understood",
         out->mutable_not_understood());
    Text(tr.ambiguous(), base.ambiguous(), "messages.ambiguous",
         out->mutable_ambiguous());
    Text(tr.exclusive_combined(), base.exclusive_combined(),
         "messages.exclusive_combined", out->mutable_exclusive_combined());
    Text(tr.unsure(), base.unsure(), "messages.unsure", out->mutable_unsure());
    Text(tr.confirm_single(), base.confirm_single(), "messages.confirm_single",
         out->mutable_confirm_single());
    Text(tr.confirm_multiple(), base.confirm_multiple(),
         "messages.confirm_multiple", out->mutable_confirm_multiple());
    Text(tr.confirm_exclusive(), base.confirm_exclusive(),
         "messages.confirm_exclusive", out->mutable_confirm_exclusive());
    Text(tr.confirm_refused(), base.confirm_refused(),
         "messages.confirm_refused", out->mutable_confirm_refused());
    Text(tr.confirm_yes_label(), base.confirm_yes_label(),
         "messages.confirm_yes_label", out->mutable_confirm_yes_label());
    Text(tr.confirm_no_label(), base.confirm_no_label(),
         "messages.confirm_no_label", out->mutable_confirm_no_label());
    Text(tr.read_back(), base.read_back(), "messages.read_back",
         out->mutable_read_back());
    Text(tr.call_emergency_label(), base.call_emergency_label(),
         "messages.call_emergency_label", out->mutable_call_emergency_label());
    Text(tr.call_urgent_label(), base.call_urgent_label(),
         "messages.call_urgent_label", out->mutable_call_urgent_label());
    Text(tr.call_clinic_label(), base.call_clinic_label(),
         "messages.call_clinic_label", out->mutable_call_clinic_label());
    Text(tr.book_label(), base.book_label(), "messages.book_label",
         out->mutable_book_label());
    Text(tr.outcome_heading(), base.outcome_heading(), "messages.outcome_heading",
         out->mutable_outcome_heading());
    Text(tr.outcome_level_label(), base.outcome_level_label(), "messages.outcome_level_label",
         out->mutable_outcome_level_label());
    Text(tr.red_flags_label(), base.red_flags_label(), "messages.red_flags_label",
         out->mutable_red_flags_label());
    Text(tr.technique_label(), base.technique_label(), "messages.technique_label",
         out->mutable_technique_label());
    Text(tr.frequency_label(), base.frequency_label(), "messages.frequency_label",
         out->mutable_frequency_label());
  }

  const dv1::Dialog& base_;
  const dv1::Dialog& tr_;
  const SourceLocator where_;
  const std::string label_;
  dv1::Dialog out_;
  std::vector<std::string> errors_;
};

}  // namespace

absl::StatusOr<dv1::Dialog> ApplyTranslation(const dv1::Dialog& base,
                                             const ParsedDialog& translation) {
  return Translator(base, translation).Apply();
}

}  // namespace backchat::engine
