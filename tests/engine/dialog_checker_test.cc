// The dialog check: the bundled dialog is proven safe; dialogs broken in
// each way a file can break are caught, with the offending path.
#include "service/dialog_tools/dialog_checker.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/dialog_tools/dialog_compiler.h"
#include "service/dialog_tools/dialog_graph.h"
#include "service/dialog_tools/path_explorer.h"
#include "tests/support/dialog_paths.h"

namespace backchat::engine {
namespace {

using ::testing::HasSubstr;

std::string ReadSource(const std::string& relative) {
  std::ifstream in(absl::StrCat(BACKCHAT_SOURCE_DIR, "/", relative));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(DialogCheckerTest, BundledDialogIsSafe) {
  const auto dialog = testing::LoadSourceDialog("dialogs/back_pain.textproto");
  const CheckReport report = CheckDialog(*dialog);
  EXPECT_TRUE(report.ok()) << report.problems.front();
  EXPECT_EQ(report.flags_proven, dialog->red_flags.size());
  EXPECT_EQ(report.shortest, 1u);
  EXPECT_LE(report.longest_self_care, 14u);
  EXPECT_GT(report.outcomes[triage::v1::LEVEL_EMERGENCY], 0u);
  EXPECT_GT(report.outcomes[triage::v1::LEVEL_URGENT], 0u);
  EXPECT_GT(report.outcomes[triage::v1::LEVEL_SEE_DOCTOR], 0u);
  EXPECT_GT(report.outcomes[triage::v1::LEVEL_SELF_CARE], 0u);
  EXPECT_GE(report.explored.combinations, report.explored.paths);
  EXPECT_THAT(report.Summary(), HasSubstr("safe"));
}

struct BrokenCase {
  std::string name;
  std::string find;
  std::string replace;
  std::string problem;
  // A line the offending path's transcript must show ("" if none).
  std::string path_line;
};
void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.name; }

class BrokenDialogTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenDialogTest, IsCaughtWithThePath) {
  const BrokenCase& c = GetParam();
  std::string text = ReadSource("tests/dialogs/tiny.textproto");
  const size_t at = text.find(c.find);
  ASSERT_NE(at, std::string::npos) << c.find;
  text.replace(at, c.find.size(), c.replace);
  auto dialog = CompileDialogText(text, "tiny.textproto");
  ASSERT_TRUE(dialog.ok()) << dialog.status();
  const CheckReport report = CheckDialog(**dialog);
  ASSERT_FALSE(report.ok()) << "a broken dialog passed the check";
  std::string all;
  for (const auto& problem : report.problems) all += problem + "\n";
  EXPECT_THAT(all, HasSubstr(c.problem));
  if (!c.path_line.empty()) {
    EXPECT_THAT(all, HasSubstr("  path:\n"));
    EXPECT_THAT(all, HasSubstr(c.path_line));
  }
  EXPECT_THAT(report.Summary(), HasSubstr("NOT SAFE"));
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, BrokenDialogTest,
    ::testing::Values(
        BrokenCase{"gentle_rule_broken",
                   "techniques { id: \"brisk\" name: \"Brisk session\" }",
                   "techniques { id: \"brisk\" name: \"Brisk session\" }\n"
                   "require_gentle_technique_when { answer { question: \"worry\" "
                   "any_of: \"no\" } }",
                   "technique \"brisk\" is not gentle, but these answers require a "
                   "gentle technique",
                   "style = brisk"},
        BrokenCase{"flag_never_fires",
                   "answer { question: \"days\" any_of: \"long\" }",
                   "answer { question: \"days\" any_of: \"long\" }\n"
                   "    answer { question: \"days\" any_of: \"short\" }",
                   "red flag \"worried_long\" never fires on any path", ""},
        BrokenCase{"flag_never_sets_its_level",
                   "    answer { question: \"worry\" any_of: \"yes\" }\n"
                   "    answer { question: \"days\" any_of: \"long\" }",
                   "    answer { question: \"danger\" any_of: \"yes\" }",
                   "red flag \"worried_long\" never sets the outcome level "
                   "(SEE_DOCTOR) on any path",
                   ""},
        BrokenCase{"question_never_asked",
                   "ask_if { answer { question: \"worry\" any_of: \"no\" } }",
                   "ask_if { answer { question: \"danger\" any_of: \"yes\" } }",
                   "question \"style\" is never asked", ""},
        BrokenCase{"question_no_rule_needs",
                   "when { answer { question: \"extras\" any_of: \"music\" } }",
                   "when { answer { question: \"style\" any_of: \"calm\" } }",
                   "question \"extras\" is never asked", ""}),
    [](const auto& info) { return info.param.name; });

TEST(PathExplorerTest, AnswerClassesCoverEveryValidAnswer) {
  const auto dialog = testing::LoadSourceDialog("dialogs/back_pain.textproto");
  for (size_t q = 0; q < dialog->questions.size(); ++q) {
    const CompiledQuestion& question = dialog->questions[q];
    std::string error;
    const auto classes = AnswerClasses(*dialog, static_cast<int>(q), &error);
    ASSERT_EQ(error, "");
    double covered = 0;
    for (const AnswerClass& c : classes) {
      EXPECT_TRUE(ValidateOptions(question, c.representative).ok()) << question.id;
      covered += c.size;
    }
    // Valid answers: one option, or for multiple choice any non-empty set of
    // non-exclusive options, or one exclusive option alone.
    double valid = static_cast<double>(question.options.size());
    if (question.multiple_choice()) {
      size_t exclusive = 0;
      for (const auto& option : question.options) exclusive += option.exclusive;
      valid = static_cast<double>((uint64_t{1} << (question.options.size() - exclusive)) - 1 +
                                  exclusive);
    }
    EXPECT_EQ(covered, valid) << question.id;
  }
}

TEST(DialogGraphTest, DrawsQuestionsOutcomesAndAnswers) {
  const auto dialog = testing::LoadSourceDialog("tests/dialogs/tiny.textproto");
  const std::string dot = DialogGraphDot(*dialog);
  EXPECT_THAT(dot, HasSubstr("digraph \"tiny\""));
  EXPECT_THAT(dot, HasSubstr("\"danger\" -> \"EMERGENCY\" [label=\"yes\"]"));
  EXPECT_THAT(dot, HasSubstr("\"EMERGENCY\" [shape=ellipse, style=filled, fontcolor=white, fillcolor=\"#d32f2f\"]"));
  EXPECT_THAT(dot, HasSubstr("\"SELF_CARE\""));
  EXPECT_THAT(dot, HasSubstr("\"worry\" -> \"style\""));
  EXPECT_THAT(dot, HasSubstr("\"worry\" -> \"days\""));
}

}  // namespace
}  // namespace backchat::engine
