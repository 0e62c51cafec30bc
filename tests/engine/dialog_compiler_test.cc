// Bad dialog files are refused with file:line:column and what is wrong.
#include "service/dialog_tools/dialog_compiler.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backchat::engine {
namespace {

using ::testing::HasSubstr;

constexpr char kTinyPath[] = "tests/dialogs/tiny.textproto";

std::string ReadSource(const std::string& relative) {
  std::ifstream in(absl::StrCat(BACKCHAT_SOURCE_DIR, "/", relative));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// "path:line:column" of the first occurrence of `marker` in `text`.
std::string LocationOf(const std::string& text, const std::string& marker) {
  const size_t at = text.find(marker);
  if (at == std::string::npos) return "<marker not found: " + marker + ">";
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return absl::StrCat(kTinyPath, ":", line, ":", at - line_start + 1);
}

struct BadCase {
  std::string name;
  // Replaces the first occurrence of `find` in the tiny dialog.
  std::string find;
  std::string replace;
  // Where the error must point ("" = the file, no line) and what it says.
  std::string marker;
  std::string message;
};
void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class BadDialogTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadDialogTest, SaysWhatAndWhere) {
  const BadCase& c = GetParam();
  std::string text = ReadSource(kTinyPath);
  const size_t at = text.find(c.find);
  ASSERT_NE(at, std::string::npos) << "fixture text not found: " << c.find;
  text.replace(at, c.find.size(), c.replace);
  const auto compiled = CompileDialogText(text, kTinyPath);
  ASSERT_FALSE(compiled.ok()) << "accepted a bad dialog";
  EXPECT_EQ(compiled.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string where =
      c.marker.empty() ? kTinyPath : LocationOf(text, c.marker);
  EXPECT_THAT(std::string(compiled.status().message()),
              HasSubstr(absl::StrCat(where, ": ", c.message)));
}

INSTANTIATE_TEST_SUITE_P(
    Mutations, BadDialogTest,
    ::testing::Values(
        BadCase{"unknown_question_in_rule",
                "question: \"danger\" any_of", "question: \"dangr\" any_of",
                "question: \"dangr\"",
                "red flag \"danger\" refers to unknown question \"dangr\""},
        BadCase{"unknown_option_in_rule", "any_of: \"long\"", "any_of: \"longg\"",
                "any_of: \"longg\"",
                "red flag \"worried_long\" refers to option \"longg\", which "
                "question \"days\" does not have"},
        BadCase{"duplicate_question_id", "id: \"worry\"", "id: \"danger\"",
                "id: \"danger\"\n  text: \"Are",
                "question id \"danger\" is used twice"},
        BadCase{"ask_if_names_a_later_question", "ask_if { answer { question: \"worry\"",
                "ask_if { answer { question: \"extras\"", "question: \"extras\"",
                "question \"style\": ask_if may only refer to earlier questions, "
                "but \"extras\" is not asked before it"},
        BadCase{"unknown_technique", "technique: \"brisk\"", "technique: \"briskk\"",
                "technique: \"briskk\"",
                "technique rule \"likes_brisk\" names unknown technique \"briskk\""},
        BadCase{"unknown_option_set", "option_set: \"yes_no\"",
                "option_set: \"yes_or_no\"", "option_set: \"yes_or_no\"",
                "question \"danger\" uses unknown option set \"yes_or_no\""},
        BadCase{"flag_without_level", "level: LEVEL_SEE_DOCTOR\n", "",
                "id: \"worried_long\"",
                "red flag \"worried_long\" needs a level of LEVEL_EMERGENCY, "
                "LEVEL_URGENT or LEVEL_SEE_DOCTOR"},
        BadCase{"flag_that_always_fires",
                "  when { answer { question: \"danger\" any_of: \"yes\" } }\n", "",
                "id: \"danger\"\n  level",
                "red flag \"danger\" has no `when`, so it would fire for everyone"},
        BadCase{"exclusive_in_single_choice", "options { id: \"calm\" label: \"Calm\" }",
                "options { id: \"calm\" label: \"Calm\" exclusive: true }",
                "options { id: \"calm\"",
                "option \"calm\" of question \"style\" is exclusive, which only "
                "means something in a multiple-choice question"},
        BadCase{"overlapping_ranges", "range { at_least: 7 }", "range { at_least: 5 }",
                "range { at_least: 5 }",
                "options \"short\" and \"long\" of question \"days\" have "
                "overlapping ranges"},
        BadCase{"last_frequency_rule_has_a_condition",
                "frequency_rules { id: \"default\" frequency: \"Weekly\" }",
                "frequency_rules { id: \"default\" frequency: \"Weekly\" when { "
                "answer { question: \"worry\" any_of: \"no\" } } }",
                "frequency_rules { id: \"default\"",
                "the last of the frequency_rules must have no `when`"},
        BadCase{"missing_level_text",
                "levels { level: LEVEL_SEE_DOCTOR headline: \"Check first\" "
                "next_steps: \"Book a visit.\" }",
                "", "", "the dialog has no levels entry for LEVEL_SEE_DOCTOR"},
        BadCase{"bad_id", "id: \"extras\"", "id: \"Extras!\"", "id: \"Extras!\"",
                "question id \"Extras!\" must be lower-case letters"},
        BadCase{"call_label_without_the_number", "read_back: \"You said: {options}\"",
                "read_back: \"You said: {options}\"\n  call_emergency_label: \"Call now\"\n"
                "  call_urgent_label: \"Urgent: {number}\"\n  call_clinic_label: \"Clinic: "
                "{number}\"\n  book_label: \"Book\"",
                "call_emergency_label",
                "messages.call_emergency_label \"Call now\" must contain {number}, the number "
                "to call"},
        BadCase{"some_action_labels_only", "read_back: \"You said: {options}\"",
                "read_back: \"You said: {options}\"\n  book_label: \"Book\"",
                "messages {",
                "messages: call_emergency_label, call_urgent_label, call_clinic_label and "
                "book_label go together (set all four or none)"},
        BadCase{"question_without_options",
                "  options { id: \"calm\" label: \"Calm\" }\n  options { id: "
                "\"brisk\" label: \"Brisk\" }\n",
                "", "id: \"style\"",
                "question \"style\" needs at least two options"}),
    [](const auto& info) { return info.param.name; });

TEST(DialogCompilerTest, TheTinyDialogCompiles) {
  const auto compiled = CompileDialogText(ReadSource(kTinyPath), kTinyPath);
  ASSERT_TRUE(compiled.ok()) << compiled.status();
  EXPECT_EQ((*compiled)->id, "tiny");
  EXPECT_EQ((*compiled)->version.size(), 16u);
}

TEST(DialogCompilerTest, VersionIgnoresCommentsButNotContent) {
  const std::string text = ReadSource(kTinyPath);
  const auto a = CompileDialogText(text, kTinyPath);
  const auto b = CompileDialogText("# another comment\n" + text, kTinyPath);
  const auto c = CompileDialogText(
      absl::StrReplaceAll(text, {{"Act now", "Act right now"}}), kTinyPath);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ((*a)->version, (*b)->version);
  EXPECT_NE((*a)->version, (*c)->version);
}

TEST(DialogCompilerTest, SyntaxErrorGivesLineAndColumn) {
  const auto compiled = LoadDialogFile(
      absl::StrCat(BACKCHAT_SOURCE_DIR, "/tests/dialogs/bad/syntax_error.textproto"));
  ASSERT_FALSE(compiled.ok());
  EXPECT_EQ(compiled.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(compiled.status().message()),
              ::testing::MatchesRegex(".*syntax_error\\.textproto:5:[0-9]+: .*"));
}

TEST(DialogCompilerTest, UnknownFieldIsNamed) {
  const auto compiled = LoadDialogFile(
      absl::StrCat(BACKCHAT_SOURCE_DIR, "/tests/dialogs/bad/unknown_field.textproto"));
  ASSERT_FALSE(compiled.ok());
  EXPECT_THAT(std::string(compiled.status().message()),
              ::testing::MatchesRegex(".*unknown_field\\.textproto:5:[0-9]+: .*"));
  EXPECT_THAT(std::string(compiled.status().message()), HasSubstr("colour"));
}

// A file with many problems reports the first kMaxReportedErrors of them,
// each on its own line: enough to mend several in one go, few enough to
// read.
TEST(DialogCompilerTest, ManyProblemsReportOnlyTheFirstFew) {
  std::string text = ReadSource(kTinyPath);
  for (int i = 0; i < 30; ++i) {
    absl::StrAppend(&text, "questions { id: \"Bad Id ", i,
                    "\" text: \"?\" kind: QUESTION_KIND_SINGLE_CHOICE option_set: \"yes_no\" }\n");
  }
  const auto compiled = CompileDialogText(text, kTinyPath);
  ASSERT_FALSE(compiled.ok());
  const std::vector<std::string> lines =
      absl::StrSplit(compiled.status().message(), '\n');
  EXPECT_EQ(lines.size(), kMaxReportedErrors) << compiled.status();
  EXPECT_THAT(lines.front(), HasSubstr("Bad Id 0"));
}

TEST(DialogCompilerTest, MissingFileIsNotFound) {
  const auto compiled = LoadDialogFile("/nonexistent/dialog.textproto");
  EXPECT_EQ(compiled.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(compiled.status().message()),
              HasSubstr("/nonexistent/dialog.textproto"));
}

TEST(DialogCompilerTest, GarbageNeverCrashes) {
  for (const std::string& text :
       {std::string(""), std::string("\0\xff\xfe", 3), std::string(10000, '{'),
        std::string("questions { questions {"), std::string("id: 5")}) {
    EXPECT_FALSE(CompileDialogText(text, "garbage").ok());
  }
}

}  // namespace
}  // namespace backchat::engine
