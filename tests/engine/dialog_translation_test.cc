// Translations: complete or refused, and typed answers in each language.
#include "service/dialog_tools/dialog_translation.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "service/engine/answer_matcher.h"
#include "service/dialog_tools/dialog_bundle.h"
#include "service/dialog_tools/dialog_registry.h"

namespace backchat::engine {
namespace {

using ::testing::HasSubstr;

std::string Source(const std::string& relative) {
  return absl::StrCat(BACKCHAT_SOURCE_DIR, "/", relative);
}

std::string ReadSource(const std::string& relative) {
  std::ifstream in(Source(relative));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr char kTranslationPath[] = "tests/dialogs/tiny_es/tiny.es.textproto";

struct BadCase {
  std::string name;
  std::string find;
  std::string replace;
  std::string message;
};
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadTranslationTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadTranslationTest, IsRefusedWithTheReason) {
  const BadCase& c = GetParam();
  auto base = ParseDialogText(ReadSource("tests/dialogs/tiny_es/tiny.textproto"),
                              "tiny.textproto");
  ASSERT_TRUE(base.ok()) << base.status();
  std::string text = ReadSource(kTranslationPath);
  const size_t at = text.find(c.find);
  ASSERT_NE(at, std::string::npos) << c.find;
  text.replace(at, c.find.size(), c.replace);
  auto translation = ParseDialogText(text, "tiny.es.textproto");
  ASSERT_TRUE(translation.ok()) << translation.status();
  auto merged = ApplyTranslation(base->def, *translation);
  ASSERT_FALSE(merged.ok()) << "accepted a bad translation";
  EXPECT_THAT(std::string(merged.status().message()),
              HasSubstr(absl::StrCat("translation \"es\": ", c.message)));
  EXPECT_THAT(std::string(merged.status().message()), HasSubstr("tiny.es.textproto"));
}

INSTANTIATE_TEST_SUITE_P(
    Mutations, BadTranslationTest,
    ::testing::Values(
        BadCase{"missing_question_text", "text: \"¿Es peligroso?\"", "",
                "has no text of question \"danger\""},
        BadCase{"missing_question", "questions { id: \"worry\" text: \"¿Está preocupado?\" }",
                "", "has no question \"worry\""},
        BadCase{"missing_option_label", "options { id: \"tea\" label: \"Té\" }",
                "options { id: \"tea\" }", "has no label of option \"tea\" of question \"extras\""},
        BadCase{"missing_option", "options { id: \"music\" label: \"Música\" }", "",
                "has no option \"music\" of question \"extras\""},
        BadCase{"missing_synonyms", "label: \"Sí\" synonyms: [\"s\"]", "label: \"Sí\"",
                "has no synonyms of option \"yes\" of option set \"yes_no\""},
        BadCase{"missing_flag_reason", "red_flags { id: \"danger\" reason: \"Es peligroso\" }",
                "red_flags { id: \"danger\" }", "has no reason of red flag \"danger\""},
        BadCase{"missing_rule_text",
                "technique_rules { id: \"default\" reason: \"Lo tranquilo "
                "sienta bien a casi todos\" }",
                "", "has no technique rule \"default\""},
        BadCase{"missing_level",
                "levels { level: LEVEL_URGENT headline: \"Actúe hoy\" "
                "next_steps: \"Llame hoy.\" }",
                "", "has no levels entry for LEVEL_URGENT"},
        BadCase{"missing_disclaimer", "disclaimer: \"Un diálogo de prueba.\"", "",
                "has no disclaimer"},
        BadCase{"missing_message", "unsure: \"Dudas\"", "", "has no messages.unsure"},
        BadCase{"missing_vocabulary",
                "  duration_units { value: 1 words: [\"dia\", \"dias\"] }\n  "
                "duration_units { value: 7 words: [\"semana\", \"semanas\"] }\n",
                "", "has no vocabulary.duration_units"},
        BadCase{"unknown_question", "questions { id: \"danger\"", "questions { id: \"dangerr\"",
                "question \"dangerr\" is not in the base dialog"},
        BadCase{"structure_in_translation", "red_flags { id: \"danger\" reason: \"Es peligroso\" }",
                "red_flags { id: \"danger\" reason: \"Es peligroso\" level: "
                "LEVEL_URGENT }",
                "red flag \"danger\": level and when comes from the base dialog"},
        BadCase{"another_dialog", "id: \"tiny\"", "id: \"huge\"",
                "is for dialog \"huge\", not \"tiny\""},
        BadCase{"advice_of_another_length", "session_length: \"10 minutos\"",
                "session_length: \"10 minutos\" watch_for: \"algo\"",
                "self_care_advice.watch_for has 1 items; the base has 0"}),
    [](const auto& info) { return info.param.name; });

TEST(BundledTranslationTest, EveryActionLabelTheBaseHasMustBeTranslated) {
  auto base = ParseDialogText(ReadSource("dialogs/back_pain.textproto"), "back_pain.textproto");
  ASSERT_TRUE(base.ok()) << base.status();
  for (const char* label : {"call_emergency_label", "call_urgent_label", "call_clinic_label",
                            "book_label"}) {
    std::string text = ReadSource("dialogs/back_pain.es.textproto");
    const size_t at = text.find(absl::StrCat("  ", label, ": \""));
    ASSERT_NE(at, std::string::npos) << label;
    text.erase(at, text.find('\n', at) + 1 - at);
    auto translation = ParseDialogText(text, "back_pain.es.textproto");
    ASSERT_TRUE(translation.ok()) << translation.status();
    auto merged = ApplyTranslation(base->def, *translation);
    ASSERT_FALSE(merged.ok()) << "accepted a translation without " << label;
    EXPECT_THAT(std::string(merged.status().message()),
                HasSubstr(absl::StrCat("translation \"es\": has no messages.", label)));
  }
}

TEST(DialogBundleTest, TinyTranslationCompilesWithTheBaseStructure) {
  auto bundle = DialogBundle::Load(Source("tests/dialogs/tiny_es/tiny.textproto"),
                                   {Source(kTranslationPath)});
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  const auto es = (*bundle)->ForLocale("es-MX");
  EXPECT_FALSE(es.fallback);
  EXPECT_EQ(es.dialog->locale, "es");
  EXPECT_EQ(es.dialog->version, (*bundle)->version());
  EXPECT_EQ(es.dialog->questions.size(), (*bundle)->base().questions.size());
  EXPECT_EQ(es.dialog->questions[0].text, "¿Es peligroso?");
  const auto fr = (*bundle)->ForLocale("fr");
  EXPECT_TRUE(fr.fallback);
  EXPECT_EQ(fr.dialog->locale, "en");
  EXPECT_FALSE((*bundle)->ForLocale("").fallback);
}

TEST(DialogBundleTest, VersionCoversTranslations) {
  auto without = DialogBundle::Load(Source("tests/dialogs/tiny_es/tiny.textproto"), {});
  auto with = DialogBundle::Load(Source("tests/dialogs/tiny_es/tiny.textproto"),
                                 {Source(kTranslationPath)});
  ASSERT_TRUE(without.ok() && with.ok());
  EXPECT_NE((*without)->version(), (*with)->version());
}

TEST(DialogDirectoryTest, TranslationWithoutBaseIsRefused) {
  const std::string dir =
      absl::StrCat(::testing::TempDir(), "/orphan_translation_", getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/lonely.es.textproto") << "id: \"lonely\" locale: \"es\"";
  auto set = LoadDialogDirectory(dir, "lonely");
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(std::string(set.status().message()),
              HasSubstr("a translation of \"lonely.textproto\", which is not there"));
}

class SpanishMatcherTest : public ::testing::Test {
 protected:
  static const CompiledDialog& Spanish() {
    static const auto bundle = [] {
      auto set = LoadDialogDirectory(Source("dialogs"), "back_pain");
      if (!set.ok()) std::abort();
      return set->bundles.front();
    }();
    static const auto dialog = bundle->ForLocale("es").dialog;
    return *dialog;
  }
  static std::string Read(const std::string& question, const std::string& text) {
    const CompiledQuestion& q = Spanish().questions[Spanish().QuestionIndex(question)];
    const MatchResult r = MatchAnswer(q, Spanish().vocabulary, text);
    if (r.kind == MatchResult::Kind::kUnsure) return "<unsure>";
    const bool confirm = r.kind == MatchResult::Kind::kConfirm;
    if (r.kind != MatchResult::Kind::kMatched && !confirm) return "<no>";
    return (confirm ? "confirm:" : "") + absl::StrJoin(q.OptionIds(r.options), "+");
  }
};

TEST_F(SpanishMatcherTest, ReadsSpanishAnswers) {
  EXPECT_EQ(Spanish().locale, "es");
  EXPECT_EQ(Read("cancer_history", "sí"), "yes");
  EXPECT_EQ(Read("cancer_history", "Si"), "yes");
  EXPECT_EQ(Read("cancer_history", "no, nunca"), "confirm:no");
  EXPECT_EQ(Read("cancer_history", "no sé"), "<unsure>");
  EXPECT_EQ(Read("cancer_history", "creo que no"), "confirm:no");
  EXPECT_EQ(Read("pain_location", "espalda baja"), "confirm:lower_back");
  EXPECT_EQ(Read("pain_location", "en la zona lumbar"), "confirm:lower_back");
  EXPECT_EQ(Read("duration", "3 semanas"), "acute");
  EXPECT_EQ(Read("duration", "tres semanas"), "acute");
  EXPECT_EQ(Read("duration", "desde ayer"), "acute");
  EXPECT_EQ(Read("duration", "dos meses"), "subacute");
  EXPECT_EQ(Read("duration", "un año"), "chronic");
  EXPECT_EQ(Read("symptoms", "fiebre y he perdido peso"), "confirm:fever+weight_loss");
  EXPECT_EQ(Read("symptoms", "sin fiebre"), "confirm:none");
  EXPECT_EQ(Read("symptoms", "fiebre no, pero he adelgazado sin querer"), "confirm:weight_loss");
  EXPECT_EQ(Read("symptoms", "1 y 3"), "fever+night_or_rest_pain");
  EXPECT_EQ(Read("age", "tengo 72 años"), "age_70_plus");
  EXPECT_EQ(Read("age", "sesenta y dos"), "age_55_to_69");
  EXPECT_EQ(Read("warning_signs", "ninguno"), "confirm:none");
  // "hormigueo" alone is not one limb: it names no limb at all.
  EXPECT_NE(Read("warning_signs", "hormigueo en las dos piernas"), "confirm:both_legs+one_limb");
  // "no se van" is not "no sé".
  EXPECT_EQ(Read("back_feel", "nudos profundos que no se van"), "confirm:deep_knots");
}

}  // namespace
}  // namespace backchat::engine
