#include "service/fhir/record_bundle.h"

#include <map>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "service/dialog_tools/dialog_bundle.h"
#include "service/fhir/fhir_ids.h"
#include "service/fhir/questionnaire.h"

namespace backchat::fhir {
namespace {

using admin::v1::TriageRecord;

// A Questionnaire's items by linkId (nested items included), and the
// display of a code in a language.
class QuestionnaireIndex {
 public:
  explicit QuestionnaireIndex(const Json* questionnaire) {
    if (questionnaire == nullptr) return;
    language_ = engine::PrimaryLanguage(questionnaire->value("language", ""));
    if (questionnaire->contains("item")) Add(questionnaire->at("item"));
  }

  // The item's text in `language`; empty if unknown.
  std::string Text(absl::string_view link_id, absl::string_view language) const {
    const Json* item = Item(link_id);
    return item == nullptr ? "" : InLanguage(*item, "text", language);
  }

  // The display of `code` among the item's options in `language`; empty
  // if unknown.
  std::string Display(absl::string_view link_id, absl::string_view code,
                      absl::string_view language) const {
    const Json* item = Item(link_id);
    if (item == nullptr || !item->contains("answerOption")) return "";
    for (const Json& option : item->at("answerOption")) {
      const Json& coding = option.value("valueCoding", Json::object());
      if (coding.value("code", "") == code) return InLanguage(coding, "display", language);
    }
    return "";
  }

 private:
  void Add(const Json& items) {
    for (const Json& item : items) {
      by_link_id_[item.value("linkId", "")] = &item;
      if (item.contains("item")) Add(item.at("item"));
    }
  }

  const Json* Item(absl::string_view link_id) const {
    const auto it = by_link_id_.find(link_id);
    return it == by_link_id_.end() ? nullptr : it->second;
  }

  // element[key] if the language is the Questionnaire's own, else its
  // translation (the element's text when there is none).
  std::string InLanguage(const Json& element, const std::string& key,
                         absl::string_view language) const {
    const std::string own = element.value(key, "");
    const std::string wanted = engine::PrimaryLanguage(language);
    if (wanted.empty() || wanted == language_) return own;
    const Json& translations =
        element.value("_" + key, Json::object()).value("extension", Json::array());
    for (const Json& translation : translations) {
      std::string lang, content;
      for (const Json& part : translation.value("extension", Json::array())) {
        if (part.value("url", "") == "lang") lang = part.value("valueCode", "");
        if (part.value("url", "") == "content") content = part.value("valueString", "");
      }
      if (engine::PrimaryLanguage(lang) == wanted && !content.empty()) return content;
    }
    return own;
  }

  std::string language_;
  absl::flat_hash_map<std::string, const Json*> by_link_id_;
};

std::string Instant(int64_t unix_micros) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3S+00:00", absl::FromUnixMicros(unix_micros),
                          absl::UTCTimeZone());
}

Json Coding(const QuestionnaireIndex& index, absl::string_view link_id,
            const std::string& system, absl::string_view code, absl::string_view language) {
  Json coding = Json::object({{"system", system}, {"code", code}});
  const std::string display = index.Display(link_id, code, language);
  if (!display.empty()) coding["display"] = display;
  return coding;
}

// An answered item: linkId, its text in the language, one answer per code.
Json AnsweredItem(const QuestionnaireIndex& index, absl::string_view link_id,
                  const std::string& system, const std::vector<std::string>& codes,
                  absl::string_view language) {
  Json item = Json::object({{"linkId", link_id}});
  const std::string text = index.Text(link_id, language);
  if (!text.empty()) item["text"] = text;
  Json answers = Json::array();
  for (const std::string& code : codes) {
    answers.push_back(
        Json::object({{"valueCoding", Coding(index, link_id, system, code, language)}}));
  }
  item["answer"] = std::move(answers);
  return item;
}

Json ResponseOf(const TriageRecord& record, const QuestionnaireIndex& index) {
  const std::string& dialog = record.dialog_id();
  const std::string& language = record.locale();
  Json items = Json::array();
  for (const auto& answer : record.answers()) {
    if (answer.option_ids().empty()) continue;
    items.push_back(AnsweredItem(
        index, answer.question_id(), CodeSystem(dialog, answer.question_id()),
        {answer.option_ids().begin(), answer.option_ids().end()}, language));
  }
  Json outcome = Json::array();
  outcome.push_back(AnsweredItem(index, "outcome.level", "urn:backchat:level",
                                 {LevelCode(record.level())}, language));
  if (!record.red_flag_ids().empty()) {
    outcome.push_back(AnsweredItem(index, "outcome.red_flags", CodeSystem(dialog, "red_flags"),
                                   {record.red_flag_ids().begin(), record.red_flag_ids().end()},
                                   language));
  }
  if (!record.technique_id().empty()) {
    outcome.push_back(AnsweredItem(index, "outcome.technique", CodeSystem(dialog, "techniques"),
                                   {record.technique_id()}, language));
  }
  if (!record.frequency_rule_id().empty()) {
    outcome.push_back(AnsweredItem(index, "outcome.frequency", CodeSystem(dialog, "frequencies"),
                                   {record.frequency_rule_id()}, language));
  }
  Json group = Json::object({{"linkId", "outcome"}});
  const std::string heading = index.Text("outcome", language);
  if (!heading.empty()) group["text"] = heading;
  group["item"] = std::move(outcome);
  items.push_back(std::move(group));

  Json response = Json::object(
      {{"resourceType", "QuestionnaireResponse"},
       {"id", FhirId(record.record_id())},
       {"questionnaire", absl::StrCat(QuestionnaireUrl(dialog), "|", record.dialog_version())},
       {"status", "completed"},
       {"authored", Instant(record.finished_unix_micros())}});
  if (!language.empty()) response["language"] = language;
  response["item"] = std::move(items);
  return response;
}

}  // namespace

std::string RecordsAsFhirBundle(const std::vector<TriageRecord>& records,
                                const QuestionnaireLookup& lookup, int* missing) {
  // Ordered, so that the same records give the same file.
  std::map<std::pair<std::string, std::string>, std::optional<Json>> questionnaires;
  for (const TriageRecord& record : records) {
    questionnaires.try_emplace({record.dialog_id(), record.dialog_version()});
  }
  Json entries = Json::array();
  if (missing != nullptr) *missing = 0;
  for (auto& [key, questionnaire] : questionnaires) {
    absl::StatusOr<Json> found = lookup(key.first, key.second);
    if (!found.ok()) {
      if (missing != nullptr) ++*missing;
      continue;
    }
    questionnaire = *std::move(found);
    entries.push_back(Json::object(
        {{"fullUrl", NameBasedUrnUuid(absl::StrCat(QuestionnaireUrl(key.first), "|", key.second))},
         {"resource", *questionnaire}}));
  }
  std::map<std::pair<std::string, std::string>, QuestionnaireIndex> indexes;
  for (const auto& [key, questionnaire] : questionnaires) {
    indexes.try_emplace(key, questionnaire ? &*questionnaire : nullptr);
  }
  for (const TriageRecord& record : records) {
    const QuestionnaireIndex& index = indexes.at({record.dialog_id(), record.dialog_version()});
    entries.push_back(Json::object({{"fullUrl", UrnUuidFromRandomHex(record.record_id())},
                                    {"resource", ResponseOf(record, index)}}));
  }
  Json bundle = Json::object({{"resourceType", "Bundle"}, {"type", "collection"}});
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return Dump(bundle);
}

}  // namespace backchat::fhir
