#include "service/fhir/next_question.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/common/quoted.h"
#include "service/engine/engine.h"
#include "service/engine/turn_builder.h"
#include "service/fhir/fhir_ids.h"
#include "service/fhir/questionnaire.h"

namespace backchat::fhir {
namespace {

using engine::CompiledDialog;
using engine::CompiledQuestion;

constexpr char kContainedId[] = "adaptive";
const char* IssueCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument: return "invalid";
    case absl::StatusCode::kNotFound: return "not-found";
    case absl::StatusCode::kFailedPrecondition: return "business-rule";
    case absl::StatusCode::kResourceExhausted: return "throttled";
    default: return "exception";
  }
}

int HttpStatus(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument: return 400;
    case absl::StatusCode::kNotFound: return 404;
    case absl::StatusCode::kFailedPrecondition: return 422;
    case absl::StatusCode::kResourceExhausted: return 429;
    case absl::StatusCode::kUnavailable: return 503;
    default: return 500;
  }
}

absl::Status Invalid(absl::string_view where, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
}

// "DIALOG|VERSION" of the contained Questionnaire the conversation began
// with, or empty when there is none yet.
absl::StatusOr<std::pair<std::string, std::string>> BegunOn(const Json& response) {
  const Json* contained = nullptr;
  if (auto it = response.find("contained"); it != response.end() && it->is_array()) contained = &*it;
  if (contained == nullptr) return std::pair<std::string, std::string>();
  for (size_t i = 0; i < contained->size(); ++i) {
    const Json& resource = (*contained)[i];
    if (!resource.is_object() || resource.value("resourceType", Json()) != "Questionnaire") continue;
    const auto from = resource.find("derivedFrom");
    if (from == resource.end()) continue;
    const std::string where = absl::StrCat("QuestionnaireResponse.contained[", i, "].derivedFrom");
    if (!from->is_array() || from->empty() || !(*from)[0].is_string()) {
      return Invalid(where, "must be an array holding the dialog's \"URL|VERSION\"");
    }
    const std::string canonical = (*from)[0].get<std::string>();
    const std::string prefix = QuestionnaireUrl("");
    const size_t bar = canonical.find('|');
    if (!absl::StartsWith(canonical, prefix) || bar == std::string::npos) {
      return Invalid(where, absl::StrCat(Quoted(canonical), " is not a BackChat dialog (",
                                         prefix, "ID|VERSION)"));
    }
    return std::pair<std::string, std::string>(canonical.substr(prefix.size(), bar - prefix.size()),
                                               canonical.substr(bar + 1));
  }
  return std::pair<std::string, std::string>();
}

// The advice of an outcome as display items, in the dialog's language.
void AddAdvice(const triage::v1::Outcome& outcome, Json* items) {
  auto display = [&](absl::string_view link_id, const std::string& text) {
    if (text.empty()) return;
    items->push_back(Json::object({{"linkId", link_id}, {"text", text}, {"type", "display"}}));
  };
  display("outcome.headline", outcome.headline());
  display("outcome.next_steps", outcome.next_steps());
  if (outcome.has_self_care()) {
    const triage::v1::SelfCarePlan& plan = outcome.self_care();
    std::vector<std::string> lines = {plan.technique().name(), plan.technique().description(),
                                      plan.technique().reason(), plan.frequency(),
                                      plan.frequency_note(), plan.session_length()};
    for (const auto* list : {&plan.before_session(), &plan.after_session(), &plan.self_massage()}) {
      lines.insert(lines.end(), list->begin(), list->end());
    }
    lines.erase(std::remove(lines.begin(), lines.end(), ""), lines.end());
    display("outcome.plan", absl::StrJoin(lines, "\n"));
    display("outcome.watch_for", absl::StrJoin(plan.watch_for(), "\n"));
  }
  display("outcome.disclaimer", outcome.disclaimer());
}

// The answered outcome group of a QuestionnaireResponse.
Json OutcomeAnswers(const CompiledDialog& dialog, const engine::Step& step, const Json& group) {
  // The codes and displays come from the contained Questionnaire's outcome
  // group, so that they match it by construction.
  auto answered = [&](absl::string_view link_id, const std::vector<std::string>& codes) -> Json {
    Json answers = Json::array();
    Json item = Json::object({{"linkId", link_id}});
    for (const Json& sub : group.at("item")) {
      if (sub.value("linkId", "") != link_id) continue;
      if (sub.contains("text")) item["text"] = sub.at("text");
      for (const std::string& code : codes) {
        for (const Json& option : sub.at("answerOption")) {
          if (option.at("valueCoding").value("code", "") == code) {
            answers.push_back(Json::object({{"valueCoding", option.at("valueCoding")}}));
          }
        }
      }
    }
    item["answer"] = std::move(answers);
    return item;
  };
  Json items = Json::array();
  items.push_back(answered("outcome.level", {LevelCode(step.level)}));
  std::vector<std::string> flags;
  for (int f : step.fired_flags) flags.push_back(dialog.red_flags[f].id);
  if (!flags.empty()) items.push_back(answered("outcome.red_flags", flags));
  if (step.technique_rule >= 0) {
    items.push_back(answered(
        "outcome.technique",
        {dialog.techniques[dialog.technique_rules[step.technique_rule].technique].id}));
  }
  if (step.frequency_rule >= 0) {
    items.push_back(answered("outcome.frequency", {dialog.frequency_rules[step.frequency_rule].id}));
  }
  Json out = Json::object({{"linkId", "outcome"}});
  if (group.contains("text")) out["text"] = group.at("text");
  out["item"] = std::move(items);
  return out;
}

// The answers of a response, by question: the item's index and its
// option mask (0: the item has no answer yet). Errors name the item.
absl::StatusOr<absl::flat_hash_map<int, std::pair<size_t, engine::OptionMask>>> ReadAnswers(
    const CompiledDialog& dialog, const Json& response) {
  absl::flat_hash_map<int, std::pair<size_t, engine::OptionMask>> answers;
  const auto items = response.find("item");
  if (items == response.end()) return answers;
  if (!items->is_array()) return Invalid("QuestionnaireResponse.item", "must be an array");
  for (size_t i = 0; i < items->size(); ++i) {
    const Json& item = (*items)[i];
    const std::string where = absl::StrCat("QuestionnaireResponse.item[", i, "]");
    if (!item.is_object() || !item.contains("linkId") || !item.at("linkId").is_string()) {
      return Invalid(where, "needs a linkId");
    }
    const std::string link_id = item.at("linkId").get<std::string>();
    if (link_id == "outcome" || absl::StartsWith(link_id, "outcome.")) continue;  // Ours, recomputed.
    const int q = dialog.QuestionIndex(link_id);
    if (q < 0) {
      return Invalid(absl::StrCat(where, ".linkId"),
                     absl::StrCat(Quoted(link_id), " is not a question of dialog ", dialog.id));
    }
    if (answers.contains(q)) {
      return Invalid(absl::StrCat(where, ".linkId"),
                     absl::StrCat(Quoted(link_id), " is answered twice"));
    }
    const CompiledQuestion& question = dialog.questions[q];
    engine::OptionMask mask = 0;
    const auto given = item.find("answer");
    if (given != item.end()) {
      if (!given->is_array()) return Invalid(absl::StrCat(where, ".answer"), "must be an array");
      for (size_t a = 0; a < given->size(); ++a) {
        const std::string at = absl::StrCat(where, ".answer[", a, "].valueCoding");
        const Json& answer = (*given)[a];
        if (!answer.is_object() || !answer.contains("valueCoding") ||
            !answer.at("valueCoding").is_object()) {
          return Invalid(at, "required: answers are Codings (code = an option's id)");
        }
        const Json& coding = answer.at("valueCoding");
        const std::string system = CodeSystem(dialog.id, question.id);
        if (coding.contains("system") && coding.at("system") != system) {
          return Invalid(absl::StrCat(at, ".system"), absl::StrCat("must be ", system));
        }
        const Json code = coding.value("code", Json());
        const int o = code.is_string() ? question.OptionIndex(code.get<std::string>()) : -1;
        if (o < 0) {
          std::vector<absl::string_view> ids;
          for (const auto& option : question.options) ids.push_back(option.id);
          return Invalid(absl::StrCat(at, ".code"),
                         absl::StrCat(code.is_string() ? Quoted(code.get<std::string>()) : "a code",
                                      " is not an option of ", question.id, " (options: ",
                                      absl::StrJoin(ids, ", "), ")"));
        }
        mask |= engine::OptionMask{1} << o;
      }
    }
    answers[q] = {i, mask};
  }
  return answers;
}

}  // namespace

FhirReply ErrorReply(const absl::Status& status) {
  Json issue = Json::object({{"severity", "error"}, {"code", IssueCode(status.code())}});
  if (!status.message().empty()) issue["diagnostics"] = std::string(status.message());
  return FhirReply{HttpStatus(status.code()),
                   Dump(Json::object({{"resourceType", "OperationOutcome"},
                                      {"issue", Json::array({std::move(issue)})}}))};
}

absl::StatusOr<NextQuestionRequest> AdaptiveQuestionnaire::Parse(absl::string_view body) {
  NextQuestionRequest request;
  Json json = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Invalid("body", "is not JSON");
  if (!json.is_object()) return Invalid("body", "must be a FHIR resource (a JSON object)");
  const Json type = json.value("resourceType", Json());
  if (type == "Parameters") {
    request.wrapped = true;
    const Json parameters = json.value("parameter", Json::array());
    for (const Json& parameter : parameters.is_array() ? parameters : Json::array()) {
      if (parameter.is_object() && parameter.value("name", Json()) == "questionnaire-response") {
        request.response = parameter.value("resource", Json());
        break;
      }
    }
    if (!request.response.is_object()) {
      return Invalid("Parameters.parameter",
                     "needs \"questionnaire-response\" with a QuestionnaireResponse resource");
    }
  } else {
    request.response = std::move(json);
  }
  if (request.response.value("resourceType", Json()) != "QuestionnaireResponse") {
    return Invalid("resourceType", "must be QuestionnaireResponse (or Parameters holding one)");
  }
  if (auto items = request.response.find("item"); items != request.response.end()) {
    if (!items->is_array()) return Invalid("QuestionnaireResponse.item", "must be an array");
    for (const Json& item : *items) {
      if (item.is_object() && item.contains("answer")) request.starts = false;
    }
  }
  return request;
}

absl::StatusOr<std::shared_ptr<const engine::DialogBundle>> AdaptiveQuestionnaire::Resolve(
    absl::string_view questionnaire_id, const Json& response) const {
  std::shared_ptr<const engine::DialogBundle> bundle;
  if (questionnaire_id.empty()) {
    auto found = dialogs_->Find("");
    if (!found.ok()) return found.status();
    bundle = *found;
  } else {
    std::vector<std::string> known;
    for (const auto& candidate : dialogs_->All()) {
      if (FhirId(candidate->id()) == questionnaire_id) {
        bundle = candidate;
      } else if (FhirId(absl::StrCat(candidate->id(), "-", candidate->version())) ==
                 questionnaire_id) {
        bundle = candidate;
      }
      known.push_back(FhirId(candidate->id()));
    }
    if (bundle == nullptr) {
      return absl::NotFoundError(absl::StrCat("no Questionnaire ", Quoted(questionnaire_id),
                                              " here (known: ", absl::StrJoin(known, ", "), ")"));
    }
  }
  auto begun = BegunOn(response);
  if (!begun.ok()) return begun.status();
  if (begun->first.empty() || begun->second == bundle->version()) return bundle;
  if (begun->first != bundle->id()) {
    return Invalid("QuestionnaireResponse.contained.derivedFrom",
                   absl::StrCat("names dialog ", Quoted(begun->first), ", not ", bundle->id()));
  }
  auto version = dialogs_->FindVersion(begun->first, begun->second);
  if (!version.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this conversation began on version ", Quoted(begun->second), " of dialog ", bundle->id(),
        ", which this server no longer has; start again with a response without answers"));
  }
  return *version;
}

FhirReply AdaptiveQuestionnaire::Next(absl::string_view questionnaire_id,
                                      const NextQuestionRequest& request) const {
  auto bundle = Resolve(questionnaire_id, request.response);
  if (!bundle.ok()) return ErrorReply(bundle.status());
  const Json language = request.response.value("language", Json());
  const CompiledDialog& dialog =
      *(*bundle)->ForLocale(language.is_string() ? language.get<std::string>() : "").dialog;
  auto answers = ReadAnswers(dialog, request.response);
  if (!answers.ok()) return ErrorReply(answers.status());

  // Replay: ask as the engine asks, taking each answer the response holds.
  engine::SessionState state = engine::NewSessionState(dialog);
  engine::Step step = engine::NextStep(dialog, state);
  std::vector<int> asked;
  while (!step.finished) {
    const auto given = answers->find(step.question);
    if (given == answers->end() || given->second.second == 0) break;
    const absl::Status applied =
        engine::ApplyAnswerAt(dialog, step, step.question, given->second.second, &state);
    if (!applied.ok()) {
      return ErrorReply(Invalid(absl::StrCat("QuestionnaireResponse.item[", given->second.first,
                                             "].answer"),
                                applied.message()));
    }
    asked.push_back(step.question);
    step = engine::NextStep(dialog, state);
  }

  const Languages shown{&dialog, {}};
  Json questions = Json::array();
  Json items = Json::array();
  for (int q : asked) {
    Json item = QuestionItem(shown, q, /*with_enable_when=*/false);
    item["required"] = true;
    questions.push_back(std::move(item));
    const CompiledQuestion& question = dialog.questions[q];
    Json answered = Json::array();
    for (int o = 0; o < static_cast<int>(question.options.size()); ++o) {
      if (state.answers[q] & (engine::OptionMask{1} << o)) {
        answered.push_back(Json::object({{"valueCoding", OptionCoding(dialog, q, o)}}));
      }
    }
    items.push_back(Json::object({{"linkId", question.id}, {"text", question.text},
                                  {"answer", std::move(answered)}}));
  }
  if (step.finished) {
    Json group = OutcomeGroupItem(shown);
    items.push_back(OutcomeAnswers(dialog, step, group));
    triage::v1::Turn turn;
    engine::FillTurn(dialog, state, step, &turn);
    AddAdvice(turn.outcome(), &group["item"]);
    questions.push_back(std::move(group));
  } else {
    Json item = QuestionItem(shown, step.question, /*with_enable_when=*/false);
    item["required"] = true;
    questions.push_back(std::move(item));
  }

  Json contained = Json::object(
      {{"resourceType", "Questionnaire"},
       {"id", kContainedId},
       {"derivedFrom", Json::array({absl::StrCat(QuestionnaireUrl(dialog.id), "|", dialog.version)})},
       {"name", ComputableName(dialog.id)},
       {"title", dialog.title},
       {"status", "active"},
       {"language", dialog.locale},
       {"item", std::move(questions)}});
  // What the operation owns is replaced; the client's own fields (id,
  // subject, authored, ...) are kept, in the order FHIR's examples use.
  Json response = Json::object({{"resourceType", "QuestionnaireResponse"}});
  if (request.response.contains("id")) response["id"] = request.response.at("id");
  response["contained"] = Json::array({std::move(contained)});
  response["questionnaire"] = absl::StrCat("#", kContainedId);
  response["status"] = step.finished ? "completed" : "in-progress";
  response["language"] = dialog.locale;
  for (const auto& [key, value] : request.response.items()) {
    if (!response.contains(key) && key != "item") response[key] = value;
  }
  if (!items.empty()) response["item"] = std::move(items);
  if (!request.wrapped) return FhirReply{200, Dump(response)};
  return FhirReply{
      200, Dump(Json::object(
               {{"resourceType", "Parameters"},
                {"parameter", Json::array({Json::object(
                                  {{"name", "return"}, {"resource", std::move(response)}})})}}))};
}

FhirReply AdaptiveQuestionnaire::Read(absl::string_view questionnaire_id) const {
  auto bundle = Resolve(questionnaire_id, Json::object());
  if (!bundle.ok()) return ErrorReply(bundle.status());
  return FhirReply{200, Dump(DialogQuestionnaire(**bundle))};
}

}  // namespace backchat::fhir
