// `dialog diff` on the edits a clinical reviewer fears, each made on a copy
// of the bundled dialog: each is named, with an example path, and the CLI's
// exit status says whether anything changed.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/dialog_tools/dialog_diff.h"
#include "service/dialog_tools/dialog_registry.h"

namespace backchat::engine {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class DialogDiffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/diff_",
                        ::testing::UnitTest::GetInstance()->current_test_info()->name(), "_",
                        getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const char* name : {"back_pain.textproto", "back_pain.es.textproto"}) {
      fs::copy_file(absl::StrCat(BACKCHAT_SOURCE_DIR, "/dialogs/", name), dir_ + "/" + name);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Replaces `from` (which must occur once) with `to` in the copy's `file`.
  void Edit(const std::string& file, const std::string& from, const std::string& to) {
    const std::string path = dir_ + "/" + file;
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    const std::string before = text.str();
    ASSERT_EQ(before.find(from), before.rfind(from)) << "not once: " << from;
    ASSERT_NE(before.find(from), std::string::npos) << "not found: " << from;
    std::ofstream(path) << absl::StrReplaceAll(before, {{from, to}});
  }

  DialogDiff Diff() {
    auto old_set = LoadDialogPath(absl::StrCat(BACKCHAT_SOURCE_DIR, "/dialogs"));
    auto new_set = LoadDialogPath(dir_);
    EXPECT_TRUE(old_set.ok()) << old_set.status();
    EXPECT_TRUE(new_set.ok()) << new_set.status();
    auto diffs = DiffDialogs(*old_set, *new_set);
    EXPECT_TRUE(diffs.ok()) << diffs.status();
    EXPECT_EQ(diffs->size(), 1u);
    return diffs->at(0);
  }

  // The CLI's exit status on the original and the copy.
  int CliStatus() {
    const std::string command = absl::StrCat(BACKCHAT_CLI_BINARY_FOR_TESTS, " dialog diff ",
                                             BACKCHAT_SOURCE_DIR, "/dialogs ", dir_, " >/dev/null");
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  static bool HasContent(const DialogDiff& diff, const std::string& kind, const std::string& where) {
    for (const ContentChange& change : diff.content_changes) {
      if (change.kind == kind && absl::StrContains(change.where, where)) return true;
    }
    return false;
  }

  static std::string Answers(const OutcomeChange& change) {
    std::vector<std::string> lines;
    for (const DiffAnswer& answer : change.example) {
      lines.push_back(absl::StrCat(answer.question, "=", absl::StrJoin(answer.options, "+")));
    }
    return absl::StrJoin(lines, " ");
  }

  std::string dir_;
};

TEST_F(DialogDiffTest, TheSameDialogHasNoChange) {
  const DialogDiff diff = Diff();
  EXPECT_TRUE(diff.empty());
  EXPECT_GT(diff.paths_compared, 10000u);
  EXPECT_EQ(CliStatus(), 0);
}

TEST_F(DialogDiffTest, ADowngradedFlagComesFirstAsLessUrgent) {
  Edit("back_pain.textproto", "id: \"both_legs_neurological\"\n  level: LEVEL_EMERGENCY",
       "id: \"both_legs_neurological\"\n  level: LEVEL_SEE_DOCTOR");
  const DialogDiff diff = Diff();
  ASSERT_FALSE(diff.outcome_changes.empty());
  const OutcomeChange& first = diff.outcome_changes[0];
  EXPECT_TRUE(first.less_urgent);
  EXPECT_THAT(first.changes[0], HasSubstr("level EMERGENCY -> "));
  EXPECT_THAT(Answers(first), HasSubstr("warning_signs=both_legs"));
  EXPECT_THAT(first.old_outcome, HasSubstr("EMERGENCY flags: both_legs_neurological"));
  EXPECT_TRUE(HasContent(diff, "red flag level changed", "both_legs_neurological"));
  EXPECT_THAT(DiffAsText({diff}), HasSubstr("!! LESS URGENT: level EMERGENCY -> SEE_DOCTOR"));
  EXPECT_EQ(CliStatus(), 1);
}

TEST_F(DialogDiffTest, AFlagsOptionRemovedNamesTheAnswersThatNoLongerRaiseIt) {
  Edit("back_pain.textproto",
       "answer { question: \"cancer_signs\" any_of: [\"wakes_at_night\", \"getting_worse\"] }",
       "answer { question: \"cancer_signs\" any_of: [\"getting_worse\"] }");
  const DialogDiff diff = Diff();
  ASSERT_FALSE(diff.outcome_changes.empty());
  bool named = false;
  for (const OutcomeChange& change : diff.outcome_changes) {
    named |= change.less_urgent && absl::StrContains(Answers(change), "wakes_at_night");
  }
  EXPECT_TRUE(named) << DiffAsText({diff});
  EXPECT_TRUE(HasContent(diff, "red flag condition (when) changed", "cancer_warning_signs"))
      << DiffAsText({diff});
  EXPECT_EQ(CliStatus(), 1);
}

TEST_F(DialogDiffTest, ANarrowedAskIfThatSkipsARedFlagQuestionIsLessUrgent) {
  Edit("back_pain.textproto",
       "ask_if { answer { question: \"cancer_history\" any_of: \"yes\" } }",
       "ask_if { answer { question: \"cancer_history\" any_of: \"yes\" } "
       "answer { question: \"warning_signs\" any_of: \"one_limb\" } }");
  const DialogDiff diff = Diff();
  ASSERT_FALSE(diff.outcome_changes.empty());
  EXPECT_TRUE(diff.outcome_changes[0].less_urgent) << DiffAsText({diff});
  EXPECT_THAT(Answers(diff.outcome_changes[0]), HasSubstr("cancer_signs="));
  EXPECT_TRUE(HasContent(diff, "question asked when (ask_if) changed", "question cancer_signs"));
  EXPECT_EQ(CliStatus(), 1);
}

TEST_F(DialogDiffTest, ASwappedTechniqueRuleIsNamedWithItsAnswers) {
  Edit("back_pain.textproto", "id: \"prefers_gentle\"\n  technique: \"swedish\"",
       "id: \"prefers_gentle\"\n  technique: \"myofascial_release\"");
  const DialogDiff diff = Diff();
  ASSERT_FALSE(diff.outcome_changes.empty());
  bool named = false;
  for (const OutcomeChange& change : diff.outcome_changes) {
    EXPECT_FALSE(change.less_urgent || change.more_urgent) << DiffAsText({diff});
    named |= absl::StrContains(absl::StrJoin(change.changes, ";"),
                               "technique: swedish -> myofascial_release");
  }
  EXPECT_TRUE(named) << DiffAsText({diff});
  EXPECT_TRUE(HasContent(diff, "technique rule's technique changed", "prefers_gentle"));
  EXPECT_EQ(CliStatus(), 1);
}

TEST_F(DialogDiffTest, ASpanishLabelChangeIsContentOnly) {
  Edit("back_pain.es.textproto",
       "label: \"Entumecimiento, hormigueo o debilidad en una pierna o un brazo\"",
       "label: \"Hormigueo en una pierna\"");
  const DialogDiff diff = Diff();
  EXPECT_TRUE(diff.outcome_changes.empty()) << DiffAsText({diff});
  EXPECT_TRUE(HasContent(diff, "option reworded", "(es)")) << DiffAsText({diff});
  EXPECT_THAT(DiffAsText({diff}), HasSubstr("\"Hormigueo en una pierna\""));
  EXPECT_EQ(CliStatus(), 1);
}

}  // namespace
}  // namespace backchat::engine
