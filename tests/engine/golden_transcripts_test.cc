// Representative conversations, written out as question ids, answers and
// outcome, and compared with tests/golden/back_pain_paths.txt, so that any
// change of behaviour shows up in review as a diff of that file.
// To accept a deliberate change: UPDATE_GOLDEN=1 ctest -R Golden
#include <algorithm>
#include <cstdlib>
#include <map>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/dialog_paths.h"

namespace backchat::testing {
namespace {

struct NamedPath {
  std::string name;
  Answers answers;
};

const std::vector<NamedPath>& RepresentativePaths() {
  static const auto* paths = new std::vector<NamedPath>{
      {"emergency: saddle numbness ends the conversation at once",
       {{"warning_signs", {"saddle_numbness"}}}},
      {"emergency: serious accident", {{"injury", {"serious_accident"}}}},
      {"emergency: cancer history with new leg weakness",
       {{"cancer_history", {"yes"}}, {"cancer_signs", {"leg_weakness_or_walking"}}}},
      {"urgent: fever", {{"symptoms", {"fever"}}}},
      {"urgent: osteoporosis with sudden severe pain",
       {{"immune_bone", {"osteoporosis"}}, {"sudden_severe", {"yes"}}}},
      {"urgent: one-sided weakness getting worse",
       {{"warning_signs", {"one_limb"}}, {"leg_weakness_worse", {"yes"}}}},
      {"see doctor: minor fall", {{"injury", {"minor_injury"}}}},
      {"see doctor: first episode at 60",
       {{"age", {"age_55_to_69"}}, {"first_episode", {"yes"}}}},
      {"see doctor: regular massage has not helped",
       {{"massage_history", {"regular_no_relief"}}}},
      {"self care: acute stress tension", {}},
      {"self care: chronic knots", {{"duration", {"chronic"}}, {"back_feel", {"deep_knots"}}}},
      {"self care: desk worker staying well",
       {{"duration", {"no_current_pain"}}, {"back_feel", {"stuck"}},
        {"lifestyle", {"desk_worker"}}}},
      {"self care: 72 and stiff, gentle technique",
       {{"age", {"age_70_plus"}}, {"first_episode", {"no"}}, {"back_feel", {"stuck"}}}},
  };
  return *paths;
}

// Compares `actual` with the golden file, or rewrites it with UPDATE_GOLDEN.
void ExpectGolden(const std::string& actual, const std::string& name) {
  const std::string golden_path =
      absl::StrCat(BACKCHAT_SOURCE_DIR, "/tests/golden/", name);
  if (std::getenv("UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden_path) << actual;
    GTEST_SKIP() << "rewrote " << golden_path;
  }
  std::ifstream in(golden_path);
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str())
      << "behaviour changed; if deliberate, run UPDATE_GOLDEN=1 and review "
         "the diff of "
      << golden_path;
}

TEST(GoldenTranscriptsTest, MatchTheCheckedInFile) {
  const auto dialog = LoadSourceDialog("dialogs/back_pain.textproto");
  std::string actual;
  for (const NamedPath& path : RepresentativePaths()) {
    absl::StrAppend(&actual, "## ", path.name, "\n",
                    Transcript(*dialog, RunPath(*dialog, path.answers,
                                                BackPainSelfCareAnswers())),
                    "\n");
  }
  ExpectGolden(actual, "back_pain_paths.txt");
}

// The first path (in exploration order) to reach each outcome kind: each
// level, each technique rule and each frequency rule.
TEST(GoldenTranscriptsTest, OnePathPerOutcomeKindFromTheEnumeration) {
  const auto dialog = LoadSourceDialog("dialogs/back_pain.textproto");
  std::map<std::string, std::string> first;  // kind -> transcript
  std::vector<std::string> order;
  auto keep = [&](const std::string& kind, const PathResult& path) {
    if (first.emplace(kind, Transcript(*dialog, path)).second) order.push_back(kind);
  };
  ForEachPath(*dialog, [&](const PathResult& path) {
    keep(absl::StrCat("level ", triage::v1::Level_Name(path.outcome.level)), path);
    if (path.outcome.technique_rule >= 0) {
      keep(absl::StrCat("technique rule ",
                        dialog->technique_rules[path.outcome.technique_rule].id),
           path);
      keep(absl::StrCat("frequency rule ", path.FrequencyId(*dialog)), path);
    }
  });
  EXPECT_EQ(order.size(), 4 + dialog->technique_rules.size() +
                              dialog->frequency_rules.size())
      << "some outcome kind is never reached";
  std::sort(order.begin(), order.end());
  std::string actual;
  for (const std::string& kind : order) {
    absl::StrAppend(&actual, "## ", kind, "\n", first[kind], "\n");
  }
  ExpectGolden(actual, "back_pain_enumerated.txt");
}

}  // namespace
}  // namespace backchat::testing
