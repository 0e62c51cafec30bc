#include "service/fhir/questionnaire.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "service/engine/engine.h"
#include "service/engine/level_name.h"
#include "service/fhir/fhir_ids.h"

namespace backchat::fhir {
namespace {

using engine::CompiledDialog;
using engine::CompiledQuestion;
using engine::OptionMask;

using TextOf = std::function<const std::string&(const CompiledDialog&)>;

Json TranslationExtension(absl::string_view language, absl::string_view text) {
  return Json::object(
      {{"url", kTranslationUrl},
       {"extension", Json::array({Json::object({{"url", "lang"}, {"valueCode", language}}),
                                  Json::object({{"url", "content"}, {"valueString", text}})})}});
}

// element[key] = the text in the shown language, and element["_key"] its
// translations. Nothing for an empty text: FHIR JSON has no empty strings.
void SetText(const Languages& languages, const char* key, const TextOf& text_of,
             Json* element) {
  const std::string& text = text_of(*languages.shown);
  if (text.empty()) return;
  (*element)[key] = text;
  Json translations = Json::array();
  for (const CompiledDialog* other : languages.translations) {
    const std::string& translated = text_of(*other);
    if (!translated.empty()) translations.push_back(TranslationExtension(other->locale, translated));
  }
  if (!translations.empty()) {
    (*element)[absl::StrCat("_", key)] = Json::object({{"extension", std::move(translations)}});
  }
}

Json Coding(const Languages& languages, absl::string_view system, absl::string_view code,
            const TextOf& display_of) {
  Json coding = Json::object({{"system", system}, {"code", code}});
  SetText(languages, "display", display_of, &coding);
  return coding;
}

Json AnswerOption(Json coding) {
  return Json::object({{"valueCoding", std::move(coding)}});
}

// A read-only choice item of the outcome group; nothing when it has no
// option (FHIR JSON has no empty arrays).
void AddOutcomeItem(const Languages& languages, absl::string_view link_id,
                    const TextOf& text_of, Json options, Json* items) {
  if (options.empty()) return;
  Json item = Json::object({{"linkId", link_id}});
  SetText(languages, "text", text_of, &item);
  item["type"] = "choice";
  if (link_id == "outcome.red_flags") item["repeats"] = true;
  item["readOnly"] = true;
  item["answerOption"] = std::move(options);
  items->push_back(std::move(item));
}

// A message of the dialog, or its English default when the dialog has none.
TextOf MessageOr(const std::string& (dialog::v1::Messages::*field)() const,
                 const std::string& fallback) {
  return [field, &fallback](const CompiledDialog& dialog) -> const std::string& {
    const std::string& text = (dialog.messages.*field)();
    return text.empty() ? fallback : text;
  };
}

const std::string kOutcomeHeading = "Triage outcome";
const std::string kLevelLabel = "What to do";
const std::string kRedFlagsLabel = "Warning signs";
const std::string kTechniqueLabel = "Massage technique";
const std::string kFrequencyLabel = "How often";

std::vector<int> OptionIndexes(OptionMask mask) {
  std::vector<int> out;
  for (int o = 0; o < engine::kMaxOptionsPerQuestion; ++o) {
    if (mask & (OptionMask{1} << o)) out.push_back(o);
  }
  return out;
}

Json EnableWhen(const CompiledDialog& dialog, const engine::Clause& clause, int option) {
  return Json::object({{"question", dialog.questions[clause.question].id},
                       {"operator", "="},
                       {"answerCoding", OptionCoding(dialog, clause.question, option)}});
}

// FHIRPath for "the answer to the clause's question has one of its options".
std::string ClauseExpression(const CompiledDialog& dialog, const engine::Clause& clause) {
  const CompiledQuestion& question = dialog.questions[clause.question];
  std::vector<std::string> codes;
  for (int o : OptionIndexes(clause.options)) {
    codes.push_back(absl::StrCat("code = '", question.options[o].id, "'"));
  }
  return absl::StrCat("%resource.repeat(item).where(linkId = '", question.id,
                      "').answer.value.where(", absl::StrJoin(codes, " or "), ").exists()");
}

// ask_if as enableWhen when enableWhen can say it: one clause (any of its
// options), one conjunction of single options (all), or a disjunction of
// single options (any). Otherwise, as an AND of ORs, SDC's
// enableWhenExpression.
void AddEnableWhen(const CompiledDialog& dialog, const engine::Rule& rule, Json* item) {
  if (rule.any.empty()) return;
  auto single_option = [](const engine::Clause& c) { return OptionIndexes(c.options).size() == 1; };
  bool disjunction_of_single_options = true;
  for (const engine::Conjunction& conjunction : rule.any) {
    disjunction_of_single_options &=
        conjunction.clauses.size() == 1 && single_option(conjunction.clauses[0]);
  }
  Json conditions = Json::array();
  const char* behavior = "any";
  if (rule.any.size() == 1 && rule.any[0].clauses.size() == 1) {
    const engine::Clause& clause = rule.any[0].clauses[0];
    for (int o : OptionIndexes(clause.options)) conditions.push_back(EnableWhen(dialog, clause, o));
  } else if (rule.any.size() == 1 &&
             std::all_of(rule.any[0].clauses.begin(), rule.any[0].clauses.end(), single_option)) {
    behavior = "all";
    for (const engine::Clause& clause : rule.any[0].clauses) {
      conditions.push_back(EnableWhen(dialog, clause, OptionIndexes(clause.options)[0]));
    }
  } else if (disjunction_of_single_options) {
    for (const engine::Conjunction& conjunction : rule.any) {
      const engine::Clause& clause = conjunction.clauses[0];
      conditions.push_back(EnableWhen(dialog, clause, OptionIndexes(clause.options)[0]));
    }
  } else {
    std::vector<std::string> any;
    for (const engine::Conjunction& conjunction : rule.any) {
      std::vector<std::string> all;
      for (const engine::Clause& clause : conjunction.clauses) {
        all.push_back(ClauseExpression(dialog, clause));
      }
      any.push_back(all.size() == 1 ? all[0] : absl::StrCat("(", absl::StrJoin(all, " and "), ")"));
    }
    (*item)["extension"] = Json::array({Json::object(
        {{"url", kEnableWhenExpressionUrl},
         {"valueExpression", Json::object({{"language", "text/fhirpath"},
                                           {"expression", absl::StrJoin(any, " or ")}})}})});
    return;
  }
  (*item)["enableWhen"] = std::move(conditions);
  if ((*item)["enableWhen"].size() > 1) (*item)["enableBehavior"] = behavior;
}

}  // namespace

std::string CodeSystem(absl::string_view dialog_id, absl::string_view what) {
  return absl::StrCat(QuestionnaireUrl(dialog_id), ":", what);
}

std::string LevelCode(engine::Level level) { return std::string(engine::LevelName(level)); }

Json OptionCoding(const CompiledDialog& dialog, int question, int option) {
  const CompiledQuestion& q = dialog.questions[question];
  return Coding(Languages{&dialog, {}}, CodeSystem(dialog.id, q.id), q.options[option].id,
                [&](const CompiledDialog&) -> const std::string& { return q.options[option].label; });
}

Json QuestionItem(const Languages& languages, int question, bool with_enable_when) {
  const CompiledDialog& dialog = *languages.shown;
  const CompiledQuestion& q = dialog.questions[question];
  Json item = Json::object({{"linkId", q.id}});
  SetText(languages, "text",
          [question](const CompiledDialog& d) -> const std::string& { return d.questions[question].text; },
          &item);
  item["type"] = "choice";
  if (q.multiple_choice()) item["repeats"] = true;
  if (with_enable_when) AddEnableWhen(dialog, q.ask_if, &item);
  Json options = Json::array();
  for (size_t o = 0; o < q.options.size(); ++o) {
    Json option = Json::object();
    if (q.options[o].exclusive) {
      option["extension"] =
          Json::array({Json::object({{"url", kOptionExclusiveUrl}, {"valueBoolean", true}})});
    }
    option["valueCoding"] =
        Coding(languages, CodeSystem(dialog.id, q.id), q.options[o].id,
               [question, o](const CompiledDialog& d) -> const std::string& {
                 return d.questions[question].options[o].label;
               });
    options.push_back(std::move(option));
  }
  item["answerOption"] = std::move(options);
  if (!q.help.empty()) {
    Json help = Json::object({{"linkId", absl::StrCat(q.id, ".help")}});
    SetText(languages, "text",
            [question](const CompiledDialog& d) -> const std::string& { return d.questions[question].help; },
            &help);
    help["type"] = "display";
    help["extension"] = Json::array({Json::object(
        {{"url", kItemControlUrl},
         {"valueCodeableConcept",
          Json::object({{"coding", Json::array({Json::object(
                                       {{"system", "http://hl7.org/fhir/questionnaire-item-control"},
                                        {"code", "help"}})})}})}})});
    item["item"] = Json::array({std::move(help)});
  }
  return item;
}

Json OutcomeGroupItem(const Languages& languages) {
  const CompiledDialog& dialog = *languages.shown;
  using Messages = dialog::v1::Messages;
  Json levels = Json::array();
  for (int level = triage::v1::LEVEL_EMERGENCY; level <= triage::v1::LEVEL_SELF_CARE; ++level) {
    levels.push_back(AnswerOption(Coding(
        languages, "urn:backchat:level", LevelCode(static_cast<engine::Level>(level)),
        [level](const CompiledDialog& d) -> const std::string& { return d.level_texts[level].headline; })));
  }
  Json flags = Json::array();
  for (size_t f = 0; f < dialog.red_flags.size(); ++f) {
    flags.push_back(AnswerOption(
        Coding(languages, CodeSystem(dialog.id, "red_flags"), dialog.red_flags[f].id,
               [f](const CompiledDialog& d) -> const std::string& { return d.red_flags[f].reason; })));
  }
  Json techniques = Json::array();
  for (size_t t = 0; t < dialog.techniques.size(); ++t) {
    techniques.push_back(AnswerOption(
        Coding(languages, CodeSystem(dialog.id, "techniques"), dialog.techniques[t].id,
               [t](const CompiledDialog& d) -> const std::string& { return d.techniques[t].name; })));
  }
  Json frequencies = Json::array();
  for (size_t f = 0; f < dialog.frequency_rules.size(); ++f) {
    frequencies.push_back(AnswerOption(Coding(
        languages, CodeSystem(dialog.id, "frequencies"), dialog.frequency_rules[f].id,
        [f](const CompiledDialog& d) -> const std::string& { return d.frequency_rules[f].frequency; })));
  }
  Json items = Json::array();
  AddOutcomeItem(languages, "outcome.level", MessageOr(&Messages::outcome_level_label, kLevelLabel),
                 std::move(levels), &items);
  AddOutcomeItem(languages, "outcome.red_flags", MessageOr(&Messages::red_flags_label, kRedFlagsLabel),
                 std::move(flags), &items);
  AddOutcomeItem(languages, "outcome.technique",
                 MessageOr(&Messages::technique_label, kTechniqueLabel), std::move(techniques), &items);
  AddOutcomeItem(languages, "outcome.frequency",
                 MessageOr(&Messages::frequency_label, kFrequencyLabel), std::move(frequencies), &items);
  Json group = Json::object({{"linkId", "outcome"}});
  SetText(languages, "text", MessageOr(&Messages::outcome_heading, kOutcomeHeading), &group);
  group["type"] = "group";
  group["readOnly"] = true;
  group["item"] = std::move(items);
  return group;
}

Json DialogQuestionnaire(const engine::DialogBundle& bundle) {
  Languages languages;
  languages.shown = &bundle.base();
  const auto all = bundle.Languages();  // Keeps the translations alive here.
  for (size_t i = 1; i < all.size(); ++i) languages.translations.push_back(all[i].get());
  const CompiledDialog& dialog = bundle.base();

  Json questionnaire = Json::object({{"resourceType", "Questionnaire"},
                                     {"id", FhirId(absl::StrCat(dialog.id, "-", dialog.version))},
                                     {"url", QuestionnaireUrl(dialog.id)},
                                     {"version", dialog.version},
                                     {"name", ComputableName(dialog.id)}});
  SetText(languages, "title", [](const CompiledDialog& d) -> const std::string& { return d.title; },
          &questionnaire);
  questionnaire["status"] = "active";
  questionnaire["language"] = dialog.locale;
  const int first = engine::NextStep(dialog, engine::NewSessionState(dialog)).question;
  Json items = Json::array();
  for (size_t q = 0; q < dialog.questions.size(); ++q) {
    Json item = QuestionItem(languages, static_cast<int>(q), /*with_enable_when=*/true);
    if (static_cast<int>(q) == first) item["required"] = true;
    items.push_back(std::move(item));
  }
  items.push_back(OutcomeGroupItem(languages));
  questionnaire["item"] = std::move(items);
  return questionnaire;
}

}  // namespace backchat::fhir
