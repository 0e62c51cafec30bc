// The FHIR forms of the bundled dialog: the Questionnaire, a records Bundle,
// and the $next-question operation against the engine on every path.
// (Independent validators check the same output in tests/web/fhir*.mjs.)
#include <algorithm>
#include <regex>
#include <set>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/engine/engine.h"
#include "service/fhir/fhir_ids.h"
#include "service/fhir/next_question.h"
#include "service/fhir/questionnaire.h"
#include "service/fhir/record_bundle.h"
#include "tests/support/dialog_paths.h"

namespace backchat::fhir {
namespace {

using ::testing::HasSubstr;

class FhirTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto registry = engine::DialogRegistry::LoadDirectory(
        absl::StrCat(BACKCHAT_SOURCE_DIR, "/dialogs"), "back_pain");
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = registry->release();
  }
  static const engine::DialogBundle& Bundle() { return **registry_->Find("back_pain"); }
  static const engine::CompiledDialog& Spanish() { return *Bundle().ForLocale("es").dialog; }

  // Every item of a Questionnaire by linkId, nested ones included.
  static std::map<std::string, Json> Items(const Json& items) {
    std::map<std::string, Json> out;
    for (const Json& item : items) {
      out[item.at("linkId").get<std::string>()] = item;
      if (item.contains("item")) out.merge(Items(item.at("item")));
    }
    return out;
  }

  // POSTs a response with `answers` (question id -> option ids) in
  // `language` and returns the reply's resource.
  static Json Next(const std::vector<std::pair<std::string, std::vector<std::string>>>& answers,
                   const std::string& language = "en", int expected_status = 200,
                   const std::string& id = "back-pain") {
    Json response = Json::object({{"resourceType", "QuestionnaireResponse"},
                                  {"status", "in-progress"},
                                  {"language", language}});
    Json items = Json::array();
    for (const auto& [question, options] : answers) {
      Json given = Json::array();
      for (const std::string& option : options) {
        given.push_back(Json::object({{"valueCoding", Json::object({{"code", option}})}}));
      }
      items.push_back(Json::object({{"linkId", question}, {"answer", given}}));
    }
    if (!items.empty()) response["item"] = items;
    auto request = AdaptiveQuestionnaire::Parse(Dump(response));
    EXPECT_TRUE(request.ok()) << request.status();
    const FhirReply reply = AdaptiveQuestionnaire(registry_).Next(id, *request);
    EXPECT_EQ(reply.http_status, expected_status) << reply.body;
    return Json::parse(reply.body);
  }

  static engine::DialogRegistry* registry_;
};

engine::DialogRegistry* FhirTest::registry_ = nullptr;

TEST(FhirIdsTest, IdsNamesAndUuidsAreWhatR4Allows) {
  EXPECT_EQ(FhirId("back_pain-23aa4cfeba2e2923"), "back-pain-23aa4cfeba2e2923");
  EXPECT_EQ(FhirId(std::string(80, 'a')).size(), 64u);
  EXPECT_EQ(FhirId(""), "-");
  EXPECT_EQ(ComputableName("back_pain"), "BackPain");
  EXPECT_EQ(ComputableName("2nd_opinion"), "Dialog2ndOpinion");
  // Python's uuid.uuid5(uuid.NAMESPACE_URL, ...) gives the same.
  EXPECT_EQ(NameBasedUrnUuid("urn:backchat:dialog:back_pain|0123456789abcdef"),
            "urn:uuid:35b82b7f-e609-5b7f-8ff1-1d045a7c92e5");
  const std::string uuid = UrnUuidFromRandomHex("ffffffffffffffffffffffffffffffff");
  EXPECT_EQ(uuid, "urn:uuid:ffffffff-ffff-4fff-bfff-ffffffffffff");
  EXPECT_EQ(UrnUuidFromRandomHex("not hex"), NameBasedUrnUuid("not hex"));
}

TEST_F(FhirTest, QuestionnaireFollowsR4AndSdc) {
  const Json questionnaire = DialogQuestionnaire(Bundle());
  const std::regex id_pattern("[A-Za-z0-9\\-\\.]{1,64}");
  EXPECT_TRUE(std::regex_match(questionnaire.at("id").get<std::string>(), id_pattern));
  EXPECT_EQ(questionnaire.at("name"), "BackPain");
  EXPECT_EQ(questionnaire.at("version"), Bundle().version());
  const auto items = Items(questionnaire.at("item"));
  const engine::CompiledDialog& dialog = Bundle().base();
  int exclusive = 0, with_exclusive_extension = 0;
  for (const auto& question : dialog.questions) {
    ASSERT_TRUE(items.count(question.id)) << question.id;
    const Json& item = items.at(question.id);
    // Every text has its Spanish translation.
    ASSERT_TRUE(item.contains("_text")) << question.id;
    EXPECT_EQ(item.at("_text").at("extension")[0].at("extension")[0].at("valueCode"), "es");
    for (const Json& option : item.at("answerOption")) {
      EXPECT_TRUE(option.at("valueCoding").contains("display"));
      EXPECT_TRUE(option.at("valueCoding").contains("_display"));
      if (option.contains("extension")) ++with_exclusive_extension;
    }
    for (const auto& o : question.options) exclusive += o.exclusive;
    // An ask_if becomes enableWhen or enableWhenExpression; nothing else
    // is conditional.
    const bool conditional = item.contains("enableWhen") || item.contains("extension");
    EXPECT_EQ(conditional, !question.ask_if.any.empty()) << question.id;
  }
  EXPECT_GT(exclusive, 0);
  EXPECT_EQ(with_exclusive_extension, exclusive);
  // A follow-up on one option: plain enableWhen.
  const int warning_signs = dialog.QuestionIndex("warning_signs");
  const auto follow_up = std::find_if(
      dialog.questions.begin(), dialog.questions.end(), [&](const engine::CompiledQuestion& q) {
        return q.ask_if.any.size() == 1 && q.ask_if.any[0].clauses.size() == 1 &&
               q.ask_if.any[0].clauses[0].question == warning_signs;
      });
  ASSERT_NE(follow_up, dialog.questions.end());
  const Json& side = items.at(follow_up->id);
  ASSERT_TRUE(side.contains("enableWhen")) << side.dump();
  EXPECT_EQ(side.at("enableWhen")[0].at("question"), "warning_signs");
  EXPECT_EQ(side.at("enableWhen")[0].at("answerCoding").at("code"), "one_limb");
  // Only the first question is asked on every path.
  int required = 0;
  for (const auto& [link_id, item] : items) required += item.value("required", false);
  EXPECT_EQ(required, 1);
  // The outcome group: read-only, every level with its headline, in both languages.
  const Json& level = items.at("outcome.level");
  EXPECT_EQ(level.at("answerOption").size(), 4u);
  EXPECT_EQ(level.at("_text").at("extension")[0].at("extension")[1].at("valueString"),
            Spanish().messages.outcome_level_label());
}

TEST_F(FhirTest, RecordsBundleIsValidEmptyAndInTheRecordsLanguage) {
  const QuestionnaireLookup lookup = [](absl::string_view id, absl::string_view version)
      -> absl::StatusOr<Json> {
    auto bundle = registry_->FindVersion(id, version);
    if (!bundle.ok()) return bundle.status();
    return DialogQuestionnaire(**bundle);
  };
  // No records: no empty "entry" array.
  EXPECT_EQ(RecordsAsFhirBundle({}, lookup), R"({"resourceType":"Bundle","type":"collection"})");

  admin::v1::TriageRecord record;
  record.set_record_id("0123456789abcdef0123456789abcdef");
  record.set_dialog_id("back_pain");
  record.set_dialog_version(Bundle().version());
  record.set_locale("es");
  auto* answer = record.add_answers();
  answer->set_question_id("warning_signs");
  answer->add_option_ids("saddle_numbness");
  record.set_level(triage::v1::LEVEL_EMERGENCY);
  record.add_red_flag_ids(Spanish().red_flags[0].id);
  int missing = -1;
  const Json bundle = Json::parse(RecordsAsFhirBundle({record}, lookup, &missing));
  EXPECT_EQ(missing, 0);
  ASSERT_EQ(bundle.at("entry").size(), 2u);
  const Json& response = bundle.at("entry")[1].at("resource");
  EXPECT_EQ(bundle.at("entry")[1].at("fullUrl"), "urn:uuid:01234567-89ab-4def-8123-456789abcdef");
  EXPECT_EQ(response.at("questionnaire"),
            absl::StrCat("urn:backchat:dialog:back_pain|", Bundle().version()));
  const engine::CompiledDialog& es = Spanish();
  const auto& q = es.questions[es.QuestionIndex("warning_signs")];
  EXPECT_EQ(response.at("item")[0].at("answer")[0].at("valueCoding").at("display"),
            q.options[q.OptionIndex("saddle_numbness")].label);
  const Json& level = response.at("item")[1].at("item")[0];
  EXPECT_EQ(level.at("answer")[0].at("valueCoding").at("display"),
            es.level_texts[triage::v1::LEVEL_EMERGENCY].headline);

  // A version known nowhere: codes without displays, and counted.
  record.set_dialog_version("gone");
  const Json orphan = Json::parse(RecordsAsFhirBundle({record}, lookup, &missing));
  EXPECT_EQ(missing, 1);
  ASSERT_EQ(orphan.at("entry").size(), 1u);
  EXPECT_FALSE(
      orphan.at("entry")[0].at("resource").at("item")[0].at("answer")[0].at("valueCoding").contains(
          "display"));
}

// Every path the explorer visits, answered all at once: the operation
// reaches the engine's outcome (level, flags, technique, frequency).
TEST_F(FhirTest, NextQuestionReachesTheEnginesOutcomeOnEveryPath) {
  const engine::CompiledDialog& dialog = Bundle().base();
  size_t seen = 0, checked = 0;
  std::set<engine::Level> levels;
  testing::ForEachPath(dialog, [&](const testing::PathResult& path) {
    // Every 97th path, and the first of each level: about 200, which keeps
    // this quick under the sanitizers too.
    if (seen++ % 97 != 0 && levels.count(path.outcome.level) > 0) return;
    ++checked;
    levels.insert(path.outcome.level);
    std::vector<std::pair<std::string, std::vector<std::string>>> answers;
    for (const std::string& id : path.asked) {
      const int q = dialog.QuestionIndex(id);
      std::vector<std::string> options;
      for (absl::string_view o : dialog.questions[q].OptionIds(path.state.answers[q])) {
        options.emplace_back(o);
      }
      answers.emplace_back(id, options);
    }
    const Json reply = Next(answers);
    ASSERT_EQ(reply.at("status"), "completed") << testing::Transcript(dialog, path);
    const auto items = Items(reply.at("item"));
    EXPECT_EQ(items.at("outcome.level").at("answer")[0].at("valueCoding").at("code"),
              LevelCode(path.outcome.level))
        << testing::Transcript(dialog, path);
    std::vector<std::string> flags;
    if (items.count("outcome.red_flags")) {
      for (const Json& a : items.at("outcome.red_flags").at("answer")) {
        flags.push_back(a.at("valueCoding").at("code"));
      }
    }
    EXPECT_EQ(flags, path.FlagIds(dialog)) << testing::Transcript(dialog, path);
    if (!path.TechniqueId(dialog).empty()) {
      EXPECT_EQ(items.at("outcome.technique").at("answer")[0].at("valueCoding").at("code"),
                path.TechniqueId(dialog));
    }
  });
  EXPECT_GT(checked, 150u);
  EXPECT_EQ(levels.size(), 4u) << "the sample reaches every level";
}

TEST_F(FhirTest, NextQuestionAsksOneQuestionAtATimeInTheResponsesLanguage) {
  const Json first = Next({}, "es-MX");
  EXPECT_EQ(first.at("status"), "in-progress");
  EXPECT_EQ(first.at("language"), "es");
  EXPECT_FALSE(first.contains("item"));
  const Json& contained = first.at("contained")[0];
  EXPECT_EQ(first.at("questionnaire"), "#adaptive");
  EXPECT_EQ(contained.at("derivedFrom")[0],
            absl::StrCat("urn:backchat:dialog:back_pain|", Bundle().version()));
  ASSERT_EQ(contained.at("item").size(), 1u);
  const Json& asked = contained.at("item")[0];
  EXPECT_EQ(asked.at("required"), true);
  const engine::CompiledDialog& es = Spanish();
  EXPECT_EQ(asked.at("text"), es.questions[es.QuestionIndex(asked.at("linkId"))].text);

  // Answering it adds the answer, with its Spanish display, and asks the next.
  const std::string id = asked.at("linkId");
  const Json second = Next({{id, {asked.at("answerOption").back().at("valueCoding").at("code")}}}, "es");
  EXPECT_EQ(second.at("item").size(), 1u);
  EXPECT_TRUE(second.at("item")[0].at("answer")[0].at("valueCoding").contains("display"));
  EXPECT_EQ(second.at("contained")[0].at("item").size(), 2u);
}

TEST_F(FhirTest, NextQuestionRefusesBadInputSayingWhere) {
  auto parse = [](absl::string_view body) { return AdaptiveQuestionnaire::Parse(body).status(); };
  EXPECT_THAT(parse("{").message(), HasSubstr("not JSON"));
  EXPECT_THAT(parse(R"({"resourceType":"Patient"})").message(), HasSubstr("QuestionnaireResponse"));
  EXPECT_THAT(parse(R"({"resourceType":"Parameters","parameter":[]})").message(),
              HasSubstr("questionnaire-response"));

  auto message = [](const Json& outcome) {
    return outcome.at("issue")[0].at("diagnostics").get<std::string>();
  };
  EXPECT_THAT(message(Next({{"no_such_question", {"x"}}}, "en", 400)),
              HasSubstr("item[0].linkId"));
  EXPECT_THAT(message(Next({{"warning_signs", {"no_such_option"}}}, "en", 400)),
              HasSubstr("item[0].answer[0].valueCoding.code"));
  // A long bad code is quoted in part only.
  const std::string quoted = message(Next({{"warning_signs", {std::string(5000, 'x')}}}, "en", 400));
  EXPECT_LT(quoted.size(), 400u);
  EXPECT_THAT(quoted, HasSubstr("5000 bytes"));
  // The engine's own checks: an exclusive option with another, two options
  // on a single-choice question.
  EXPECT_THAT(message(Next({{"warning_signs", {"none", "both_legs"}}}, "en", 400)),
              HasSubstr("item[0].answer"));
  const engine::CompiledDialog& dialog = Bundle().base();
  const auto& injury = dialog.questions[dialog.QuestionIndex("injury")];
  ASSERT_FALSE(injury.multiple_choice());
  EXPECT_THAT(message(Next({{"warning_signs", {"none"}},
                            {"injury", {injury.options[0].id, injury.options[1].id}}},
                           "en", 400)),
              HasSubstr("item[1].answer"));
  EXPECT_THAT(message(Next({}, "en", 404, "no-such-dialog")), HasSubstr("back-pain"));
}

}  // namespace
}  // namespace backchat::fhir
