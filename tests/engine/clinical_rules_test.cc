// Every rule of the clinical specification (shared clinical-rules.md),
// checked against the bundled dialog through the real engine.
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/dialog_paths.h"

namespace backchat::testing {
namespace {

using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using triage::v1::Level;
using triage::v1::LEVEL_EMERGENCY;
using triage::v1::LEVEL_SEE_DOCTOR;
using triage::v1::LEVEL_SELF_CARE;
using triage::v1::LEVEL_URGENT;

const engine::CompiledDialog& BackPain() {
  static const auto dialog = LoadSourceDialog("dialogs/back_pain.textproto");
  return *dialog;
}

PathResult Triage(const Answers& answers) {
  return RunPath(BackPain(), answers, BackPainSelfCareAnswers());
}

// ------------------------------------------------------------ red flags

struct FlagCase {
  std::string name;
  Answers answers;
  Level level;
  // Every flag expected to fire, most urgent first.
  std::vector<std::string> flags;
};

void PrintTo(const FlagCase& c, std::ostream* os) { *os << c.name; }

class RedFlagTest : public ::testing::TestWithParam<FlagCase> {};

TEST_P(RedFlagTest, GivesItsLevelAndNamesItself) {
  const FlagCase& c = GetParam();
  const PathResult path = Triage(c.answers);
  EXPECT_EQ(path.outcome.level, c.level) << Transcript(BackPain(), path);
  EXPECT_THAT(path.FlagIds(BackPain()), ElementsAreArray(c.flags))
      << Transcript(BackPain(), path);
  if (c.level == LEVEL_SELF_CARE) {
    EXPECT_GE(path.outcome.technique_rule, 0);
  } else {
    EXPECT_EQ(path.outcome.technique_rule, -1) << "no massage advice for a red flag";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Emergency, RedFlagTest,
    ::testing::Values(
        FlagCase{"both_legs", {{"warning_signs", {"both_legs"}}}, LEVEL_EMERGENCY,
                 {"both_legs_neurological"}},
        FlagCase{"saddle", {{"warning_signs", {"saddle_numbness"}}}, LEVEL_EMERGENCY,
                 {"saddle_numbness"}},
        FlagCase{"bladder_bowel", {{"warning_signs", {"bladder_bowel"}}},
                 LEVEL_EMERGENCY, {"bladder_bowel"}},
        FlagCase{"chest_or_tearing", {{"warning_signs", {"chest_pain"}}},
                 LEVEL_EMERGENCY, {"chest_or_tearing_pain"}},
        FlagCase{"faint_breathless", {{"warning_signs", {"faint_breathless"}}},
                 LEVEL_EMERGENCY, {"faint_breathless"}},
        FlagCase{"serious_accident", {{"injury", {"serious_accident"}}},
                 LEVEL_EMERGENCY, {"serious_accident"}},
        FlagCase{"cancer_and_leg_weakness",
                 {{"cancer_history", {"yes"}},
                  {"cancer_signs", {"leg_weakness_or_walking"}}},
                 LEVEL_EMERGENCY, {"cancer_with_leg_weakness"}}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Urgent, RedFlagTest,
    ::testing::Values(
        FlagCase{"fever", {{"symptoms", {"fever"}}}, LEVEL_URGENT, {"fever"}},
        FlagCase{"injects_drugs", {{"immune_bone", {"inject_drugs"}}},
                 LEVEL_URGENT, {"infection_risk"}},
        FlagCase{"weakened_immunity", {{"immune_bone", {"weakened_immunity"}}},
                 LEVEL_URGENT, {"infection_risk"}},
        FlagCase{"long_term_steroids_new_pain",
                 {{"immune_bone", {"long_term_steroids"}}}, LEVEL_URGENT,
                 {"infection_risk"}},
        FlagCase{"cancer_mid_back",
                 {{"cancer_history", {"yes"}}, {"pain_location", {"mid_back"}}},
                 LEVEL_URGENT, {"cancer_warning_signs"}},
        FlagCase{"cancer_night_pain",
                 {{"cancer_history", {"yes"}},
                  {"cancer_signs", {"wakes_at_night"}}},
                 LEVEL_URGENT, {"cancer_warning_signs"}},
        FlagCase{"cancer_getting_worse",
                 {{"cancer_history", {"yes"}}, {"cancer_signs", {"getting_worse"}}},
                 LEVEL_URGENT, {"cancer_warning_signs"}},
        FlagCase{"weight_loss", {{"symptoms", {"weight_loss"}}}, LEVEL_URGENT,
                 {"weight_loss"}},
        FlagCase{"night_or_rest_pain", {{"symptoms", {"night_or_rest_pain"}}},
                 LEVEL_URGENT, {"night_or_rest_pain"}},
        FlagCase{"osteoporosis_sudden_pain",
                 {{"immune_bone", {"osteoporosis"}}, {"sudden_severe", {"yes"}}},
                 LEVEL_URGENT, {"possible_fracture", "underlying_condition"}},
        FlagCase{"steroids_sudden_pain_without_infection_risk",
                 {{"immune_bone", {"long_term_steroids"}},
                  {"duration", {"no_current_pain"}},
                  {"sudden_severe", {"yes"}}},
                 LEVEL_SELF_CARE, {}},
        FlagCase{"worsening_leg_weakness",
                 {{"warning_signs", {"one_limb"}}, {"leg_weakness_worse", {"yes"}}},
                 LEVEL_URGENT, {"worsening_leg_weakness", "one_limb_neurological"}}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    SeeDoctor, RedFlagTest,
    ::testing::Values(
        FlagCase{"massage_not_helping",
                 {{"massage_history", {"regular_no_relief"}}}, LEVEL_SEE_DOCTOR,
                 {"massage_not_helping"}},
        FlagCase{"one_limb", {{"warning_signs", {"one_limb"}}}, LEVEL_SEE_DOCTOR,
                 {"one_limb_neurological"}},
        FlagCase{"limits_daily_life", {{"symptoms", {"limits_daily_life"}}},
                 LEVEL_SEE_DOCTOR, {"limits_daily_life"}},
        FlagCase{"osteoporosis", {{"immune_bone", {"osteoporosis"}}},
                 LEVEL_SEE_DOCTOR, {"underlying_condition"}},
        FlagCase{"spinal_stenosis", {{"medical_history", {"spinal_stenosis"}}},
                 LEVEL_SEE_DOCTOR, {"underlying_condition"}},
        FlagCase{"minor_injury", {{"injury", {"minor_injury"}}}, LEVEL_SEE_DOCTOR,
                 {"specific_injury"}},
        FlagCase{"blood_thinners", {{"medical_history", {"blood_thinners"}}},
                 LEVEL_SEE_DOCTOR, {"bleeding_risk"}},
        FlagCase{"pregnant", {{"medical_history", {"pregnant"}}},
                 LEVEL_SEE_DOCTOR, {"pregnancy"}},
        FlagCase{"recent_surgery", {{"medical_history", {"recent_surgery"}}},
                 LEVEL_SEE_DOCTOR, {"recent_surgery"}},
        FlagCase{"first_episode_at_55_to_69",
                 {{"age", {"age_55_to_69"}}, {"first_episode", {"yes"}}},
                 LEVEL_SEE_DOCTOR, {"first_episode_age"}},
        FlagCase{"first_episode_at_70_plus",
                 {{"age", {"age_70_plus"}}, {"first_episode", {"yes"}}},
                 LEVEL_SEE_DOCTOR, {"first_episode_age"}},
        FlagCase{"first_episode_under_20",
                 {{"age", {"age_under_20"}}, {"first_episode", {"yes"}}},
                 LEVEL_SEE_DOCTOR, {"first_episode_age"}}),
    [](const auto& info) { return info.param.name; });

// Cases the rules name as *not* a flag.
INSTANTIATE_TEST_SUITE_P(
    NotAFlag, RedFlagTest,
    ::testing::Values(
        FlagCase{"muscle_strain_is_not_an_injury_flag",
                 {{"injury", {"muscle_strain"}}}, LEVEL_SELF_CARE, {}},
        FlagCase{"immune_risk_without_current_pain",
                 {{"immune_bone", {"weakened_immunity"}},
                  {"duration", {"no_current_pain"}}},
                 LEVEL_SELF_CARE, {}},
        FlagCase{"first_episode_at_20_to_54_is_not_asked",
                 {{"age", {"age_20_to_54"}}}, LEVEL_SELF_CARE, {}},
        FlagCase{"cancer_history_without_warning_signs",
                 {{"cancer_history", {"yes"}}, {"cancer_signs", {"none"}}},
                 LEVEL_SELF_CARE, {}}),
    [](const auto& info) { return info.param.name; });

// -------------------------------------------- levels: the most urgent wins

INSTANTIATE_TEST_SUITE_P(
    MostUrgentWins, RedFlagTest,
    ::testing::Values(
        FlagCase{"emergency_over_see_doctor_in_one_answer",
                 {{"warning_signs", {"one_limb", "both_legs"}}}, LEVEL_EMERGENCY,
                 {"both_legs_neurological", "one_limb_neurological"}},
        FlagCase{"emergency_after_see_doctor",
                 {{"injury", {"minor_injury"}},
                  {"cancer_history", {"yes"}},
                  {"cancer_signs", {"leg_weakness_or_walking", "getting_worse"}}},
                 LEVEL_EMERGENCY,
                 {"cancer_with_leg_weakness", "cancer_warning_signs",
                  "specific_injury"}},
        FlagCase{"urgent_over_see_doctor",
                 {{"warning_signs", {"one_limb"}}, {"symptoms", {"fever", "limits_daily_life"}}},
                 LEVEL_URGENT,
                 {"fever", "one_limb_neurological", "limits_daily_life"}},
        FlagCase{"every_urgent_flag_of_one_answer_is_named",
                 {{"symptoms", {"fever", "weight_loss", "night_or_rest_pain"}}},
                 LEVEL_URGENT, {"fever", "weight_loss", "night_or_rest_pain"}}),
    [](const auto& info) { return info.param.name; });

TEST(EmergencyTest, EndsTheDialogAtOnce) {
  for (const char* sign :
       {"both_legs", "saddle_numbness", "bladder_bowel", "chest_pain",
        "faint_breathless"}) {
    const PathResult path = Triage({{"warning_signs", {sign}}});
    EXPECT_EQ(path.asked, std::vector<std::string>{"warning_signs"}) << sign;
    EXPECT_EQ(path.outcome.level, LEVEL_EMERGENCY) << sign;
  }
  const PathResult accident = Triage({{"injury", {"serious_accident"}}});
  EXPECT_EQ(accident.asked, (std::vector<std::string>{"warning_signs", "injury"}));
}

TEST(EmergencyTest, NoPathAsksAnythingAfterAnEmergencyAnswer) {
  const auto& dialog = BackPain();
  ForEachPath(dialog, [&](const PathResult& path) {
    if (path.outcome.level != LEVEL_EMERGENCY) return;
    // Replaying all but the last answer must not already be an emergency.
    engine::SessionState before = path.state;
    before.answers[dialog.QuestionIndex(path.asked.back())] = 0;
    const engine::Step step = engine::NextStep(dialog, before);
    ASSERT_FALSE(step.finished) << Transcript(dialog, path);
    EXPECT_EQ(dialog.questions[step.question].id, path.asked.back());
  });
}

TEST(SkippingTest, AfterASeeDoctorFlagOnlyMoreUrgentQuestionsAreAsked) {
  const PathResult path = Triage({{"warning_signs", {"one_limb"}}});
  EXPECT_TRUE(path.Asked("leg_weakness_worse"));
  EXPECT_TRUE(path.Asked("symptoms"));  // Can still raise the level.
  for (const char* id : {"medical_history", "age", "first_episode",
                         "massage_history", "back_feel", "pressure", "lifestyle",
                         "pain_location"}) {
    EXPECT_FALSE(path.Asked(id)) << id << " cannot change a SEE_DOCTOR outcome";
  }
}

TEST(SkippingTest, AQuestionOfTheReachedLevelIsNotAsked) {
  // Long-term steroids with current pain is already URGENT (infection
  // risk); the fracture question cannot make it more urgent.
  const PathResult path = Triage({{"immune_bone", {"long_term_steroids"}}});
  EXPECT_EQ(path.outcome.level, LEVEL_URGENT);
  EXPECT_FALSE(path.Asked("sudden_severe"));
  // With osteoporosis alone the outcome is SEE_DOCTOR, so it is asked.
  EXPECT_TRUE(Triage({{"immune_bone", {"osteoporosis"}}}).Asked("sudden_severe"));
}

TEST(SkippingTest, FollowUpsAreAskedOnlyWhenTheirGateHolds) {
  const PathResult no_cancer = Triage({});
  EXPECT_FALSE(no_cancer.Asked("cancer_signs"));
  EXPECT_FALSE(no_cancer.Asked("sudden_severe"));
  EXPECT_FALSE(no_cancer.Asked("leg_weakness_worse"));
  EXPECT_FALSE(no_cancer.Asked("first_episode"));
  const PathResult cancer = Triage({{"cancer_history", {"yes"}}});
  EXPECT_TRUE(cancer.Asked("cancer_signs"));
}

// ------------------------------------------------------------- frequency

struct FrequencyCase {
  std::string name;
  Answers answers;
  std::string frequency_rule;
};
void PrintTo(const FrequencyCase& c, std::ostream* os) { *os << c.name; }

class FrequencyTest : public ::testing::TestWithParam<FrequencyCase> {};

TEST_P(FrequencyTest, FollowsTheArticlesTable) {
  const PathResult path = Triage(GetParam().answers);
  ASSERT_EQ(path.outcome.level, LEVEL_SELF_CARE) << Transcript(BackPain(), path);
  EXPECT_EQ(path.FrequencyId(BackPain()), GetParam().frequency_rule)
      << Transcript(BackPain(), path);
}

const Answers kNoPain = {{"duration", {"no_current_pain"}}};
Answers With(Answers base, const Answers& more) {
  for (const auto& [k, v] : more) base[k] = v;
  return base;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, FrequencyTest,
    ::testing::Values(
        FrequencyCase{"acute", {{"duration", {"acute"}}}, "current_pain_under_12_weeks"},
        FrequencyCase{"subacute", {{"duration", {"subacute"}}}, "current_pain_under_12_weeks"},
        FrequencyCase{"chronic", {{"duration", {"chronic"}}}, "chronic_pain"},
        FrequencyCase{"athlete", With(kNoPain, {{"lifestyle", {"athlete_in_training"}}}),
                      "athlete_in_training"},
        FrequencyCase{"stress_by_lifestyle",
                      With(kNoPain, {{"lifestyle", {"stress_tension"}},
                                     {"back_feel", {"deep_knots"}}}),
                      "stress_tension"},
        FrequencyCase{"stress_by_how_the_back_feels",
                      With(kNoPain, {{"back_feel", {"tension_stress"}}}),
                      "stress_tension"},
        FrequencyCase{"desk_worker",
                      With(kNoPain, {{"lifestyle", {"desk_worker"}},
                                     {"back_feel", {"stuck"}}}),
                      "desk_worker"},
        FrequencyCase{"general_maintenance",
                      With(kNoPain, {{"back_feel", {"pinpoint"}}}),
                      "general_maintenance"},
        FrequencyCase{"athlete_with_current_pain_follows_the_pain",
                      {{"duration", {"chronic"}}, {"lifestyle", {"athlete_in_training"}}},
                      "chronic_pain"}),
    [](const auto& info) { return info.param.name; });

TEST(FrequencyTest, TheNeutralAnswerSetsNoFrequencyRowOfItsOwn) {
  // A general ache with no current pain: no stress or desk row, so the
  // general maintenance row.
  Answers answers = kNoPain;
  answers["back_feel"] = {"general_ache"};
  answers["lifestyle"] = {"none_of_these"};
  const PathResult path = Triage(answers);
  ASSERT_EQ(path.outcome.level, LEVEL_SELF_CARE) << Transcript(BackPain(), path);
  EXPECT_EQ(path.FrequencyId(BackPain()), "general_maintenance");
}

TEST(FrequencyTest, LifestyleIsNotAskedWhenThePainDecidesTheFrequency) {
  EXPECT_FALSE(Triage({{"duration", {"chronic"}}}).Asked("lifestyle"));
  EXPECT_TRUE(Triage(kNoPain).Asked("lifestyle"));
}

// ------------------------------------------------------------- technique

struct TechniqueCase {
  std::string name;
  Answers answers;
  std::string technique;
};
void PrintTo(const TechniqueCase& c, std::ostream* os) { *os << c.name; }

class TechniqueTest : public ::testing::TestWithParam<TechniqueCase> {};

TEST_P(TechniqueTest, FitsWhatThePersonSaid) {
  const PathResult path = Triage(GetParam().answers);
  ASSERT_EQ(path.outcome.level, LEVEL_SELF_CARE) << Transcript(BackPain(), path);
  EXPECT_EQ(path.TechniqueId(BackPain()), GetParam().technique)
      << Transcript(BackPain(), path);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, TechniqueTest,
    ::testing::Values(
        TechniqueCase{"stress_tension_swedish", {{"back_feel", {"tension_stress"}}}, "swedish"},
        TechniqueCase{"general_ache_swedish", {{"back_feel", {"general_ache"}}}, "swedish"},
        TechniqueCase{"new_to_massage_swedish",
                      {{"massage_history", {"new_to_massage"}}, {"back_feel", {"deep_knots"}}},
                      "swedish"},
        TechniqueCase{"prefers_gentle_swedish",
                      {{"pressure", {"gentle"}}, {"back_feel", {"deep_knots"}}}, "swedish"},
        TechniqueCase{"deep_knots_deep_tissue", {{"back_feel", {"deep_knots"}}}, "deep_tissue"},
        TechniqueCase{"lighter_massage_did_not_help_deep_tissue",
                      {{"massage_history", {"lighter_not_enough"}}}, "deep_tissue"},
        TechniqueCase{"can_point_to_it_trigger_point", {{"back_feel", {"pinpoint"}}},
                      "trigger_point"},
        TechniqueCase{"stuck_myofascial", {{"back_feel", {"stuck"}}}, "myofascial_release"},
        TechniqueCase{"widespread_myofascial", {{"pain_location", {"all_over"}}},
                      "myofascial_release"},
        TechniqueCase{"activity_strain_sports", {{"back_feel", {"activity_strain"}}},
                      "sports"},
        TechniqueCase{"lifting_strain_sports", {{"injury", {"muscle_strain"}}}, "sports"},
        TechniqueCase{"older_adult_with_knots_gets_swedish_not_deep_tissue",
                      {{"age", {"age_70_plus"}}, {"back_feel", {"deep_knots"}},
                       {"first_episode", {"no"}}},
                      "swedish"},
        TechniqueCase{"older_adult_stuck_gets_myofascial",
                      {{"age", {"age_70_plus"}}, {"back_feel", {"stuck"}}},
                      "myofascial_release"},
        TechniqueCase{"gentle_and_widespread_gets_myofascial",
                      {{"pressure", {"gentle"}}, {"pain_location", {"all_over"}}},
                      "myofascial_release"}),
    [](const auto& info) { return info.param.name; });

TEST(TechniqueTest, PressureIsNotAskedOnceAgeDecidesTheTechnique) {
  const PathResult path =
      Triage({{"age", {"age_70_plus"}}, {"back_feel", {"deep_knots"}}});
  EXPECT_FALSE(path.Asked("pressure"));
}

// ------------------------------------------- properties of every path

TEST(EveryPathTest, SelfCareHasTechniqueFrequencyAndObeysGentleRule) {
  const auto& dialog = BackPain();
  const int age = dialog.QuestionIndex("age");
  const int pressure = dialog.QuestionIndex("pressure");
  const auto age_70 = engine::OptionMask{1}
                      << dialog.questions[age].OptionIndex("age_70_plus");
  const auto gentle = engine::OptionMask{1}
                      << dialog.questions[pressure].OptionIndex("gentle");
  size_t self_care = 0;
  size_t needing_gentle = 0;
  size_t longest = 0;
  size_t shortest_any = SIZE_MAX;
  size_t longest_any = 0;
  std::map<std::string, size_t> by_level;
  const size_t paths = ForEachPath(dialog, [&](const PathResult& path) {
    shortest_any = std::min(shortest_any, path.asked.size());
    longest_any = std::max(longest_any, path.asked.size());
    ++by_level[triage::v1::Level_Name(path.outcome.level)];
    if (path.outcome.level != LEVEL_SELF_CARE) {
      EXPECT_THAT(path.outcome.fired_flags, ::testing::Not(IsEmpty()));
      EXPECT_EQ(path.outcome.technique_rule, -1);
      return;
    }
    ++self_care;
    longest = std::max(longest, path.asked.size());
    EXPECT_THAT(path.outcome.fired_flags, IsEmpty());
    ASSERT_GE(path.outcome.technique_rule, 0) << Transcript(dialog, path);
    ASSERT_GE(path.outcome.frequency_rule, 0) << Transcript(dialog, path);
    EXPECT_LE(path.asked.size(), 14u) << Transcript(dialog, path);
    if ((path.state.answers[age] & age_70) || (path.state.answers[pressure] & gentle)) {
      ++needing_gentle;
      const auto& technique =
          dialog.techniques[dialog.technique_rules[path.outcome.technique_rule].technique];
      EXPECT_TRUE(technique.gentle) << Transcript(dialog, path);
      EXPECT_NE(technique.id, "deep_tissue");
    }
  });
  EXPECT_GT(paths, 1000u);
  EXPECT_GT(self_care, 100u);
  EXPECT_GT(needing_gentle, 10u);
  EXPECT_LE(longest, 14u);
  std::cout << paths << " paths; questions per path: shortest " << shortest_any
            << ", longest " << longest_any << ", longest SELF_CARE " << longest
            << "\n";
  for (const auto& [level, count] : by_level) {
    std::cout << "  " << level << ": " << count << " paths\n";
  }
}

TEST(EveryPathTest, EveryRedFlagFiresOnSomePathAndReachesItsLevel) {
  const auto& dialog = BackPain();
  std::vector<bool> fired(dialog.red_flags.size(), false);
  std::vector<bool> decided(dialog.red_flags.size(), false);
  ForEachPath(dialog, [&](const PathResult& path) {
    for (int flag : path.outcome.fired_flags) {
      fired[flag] = true;
      EXPECT_FALSE(engine::MoreUrgent(dialog.red_flags[flag].level, path.outcome.level))
          << "outcome less urgent than flag " << dialog.red_flags[flag].id;
      if (dialog.red_flags[flag].level == path.outcome.level) decided[flag] = true;
    }
  });
  for (size_t i = 0; i < fired.size(); ++i) {
    EXPECT_TRUE(fired[i]) << dialog.red_flags[i].id << " never fires";
    EXPECT_TRUE(decided[i]) << dialog.red_flags[i].id << " never sets the level";
  }
}

}  // namespace
}  // namespace backchat::testing
