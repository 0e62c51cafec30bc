// The engine's contract, on the tiny dialog (no back-pain knowledge).
#include "service/engine/engine.h"

#include "gtest/gtest.h"
#include "service/engine/answer_matcher.h"
#include "tests/support/dialog_paths.h"

namespace backchat::engine {
namespace {

using testing::Answers;
using testing::RunPath;

const CompiledDialog& Tiny() {
  static const auto dialog = testing::LoadSourceDialog("tests/dialogs/tiny.textproto");
  return *dialog;
}

const Answers kCalm = {{"danger", {"no"}},  {"worry", {"no"}},
                       {"days", {"short"}}, {"style", {"calm"}},
                       {"extras", {"tea"}}};

TEST(TinyDialogTest, RunsThroughTheSameEngine) {
  const auto path = RunPath(Tiny(), {}, kCalm);
  // "days" only matters to worried_long, which "worry = no" rules out.
  EXPECT_EQ(path.asked,
            (std::vector<std::string>{"danger", "worry", "style", "extras"}));
  EXPECT_EQ(path.outcome.level, triage::v1::LEVEL_SELF_CARE);
  EXPECT_EQ(path.TechniqueId(Tiny()), "calm");
  EXPECT_EQ(path.FrequencyId(Tiny()), "default");
}

TEST(TinyDialogTest, EmergencyEndsAtOnce) {
  const auto path = RunPath(Tiny(), {{"danger", {"yes"}}}, kCalm);
  EXPECT_EQ(path.asked, std::vector<std::string>{"danger"});
  EXPECT_EQ(path.outcome.level, triage::v1::LEVEL_EMERGENCY);
  EXPECT_EQ(path.FlagIds(Tiny()), std::vector<std::string>{"danger"});
}

TEST(TinyDialogTest, SeeDoctorSkipsSelfCareQuestions) {
  const auto path =
      RunPath(Tiny(), {{"worry", {"yes"}}, {"days", {"long"}}}, kCalm);
  EXPECT_EQ(path.outcome.level, triage::v1::LEVEL_SEE_DOCTOR);
  EXPECT_EQ(path.asked, (std::vector<std::string>{"danger", "worry", "days"}));
}

TEST(TinyDialogTest, AskIfSkipsAQuestion) {
  const auto path = RunPath(Tiny(), {{"worry", {"yes"}}}, kCalm);
  EXPECT_FALSE(path.Asked("style"));
  EXPECT_EQ(path.outcome.level, triage::v1::LEVEL_SELF_CARE);
}

TEST(EngineTest, NextStepIsPureAndRepeatable) {
  SessionState state = NewSessionState(Tiny());
  const Step a = NextStep(Tiny(), state);
  const Step b = NextStep(Tiny(), state);
  EXPECT_EQ(a.question, b.question);
  EXPECT_EQ(a.remaining_at_most, b.remaining_at_most);
  EXPECT_EQ(state, NewSessionState(Tiny()));
}

TEST(EngineTest, ProgressCountsAnsweredAndRemaining) {
  SessionState state = NewSessionState(Tiny());
  Step step = NextStep(Tiny(), state);
  EXPECT_EQ(step.answered, 0);
  EXPECT_EQ(step.remaining_at_most, 5);
  ASSERT_TRUE(ApplyAnswer(Tiny(), 0, 0b10, &state).ok());  // danger = no
  ASSERT_TRUE(ApplyAnswer(Tiny(), 1, 0b01, &state).ok());  // worry = yes
  step = NextStep(Tiny(), state);
  EXPECT_EQ(step.answered, 2);
  EXPECT_EQ(step.remaining_at_most, 2);  // days, extras; style is gated off.
}

TEST(EngineTest, ApplyAnswerRefusesWrongQuestionAndBadOptions) {
  SessionState state = NewSessionState(Tiny());
  EXPECT_EQ(ApplyAnswer(Tiny(), 1, 0b01, &state).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ApplyAnswer(Tiny(), 0, 0, &state).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyAnswer(Tiny(), 0, 0b11, &state).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ApplyAnswer(Tiny(), 0, 0b100, &state).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(state, NewSessionState(Tiny())) << "a refused answer changes nothing";
}

TEST(EngineTest, ExclusiveOptionStandsAlone) {
  const CompiledQuestion& extras = Tiny().questions[Tiny().QuestionIndex("extras")];
  EXPECT_TRUE(ValidateOptions(extras, 0b011).ok());
  EXPECT_TRUE(ValidateOptions(extras, 0b100).ok());
  EXPECT_EQ(ValidateOptions(extras, 0b101).code(), absl::StatusCode::kInvalidArgument);
}

TEST(EngineTest, AnswerAfterTheOutcomeIsAPreconditionError) {
  auto path = RunPath(Tiny(), {{"danger", {"yes"}}}, kCalm);
  EXPECT_EQ(ApplyAnswer(Tiny(), 1, 0b01, &path.state).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(EngineTest, GoBackWithdrawsTheLastAnswerOnly) {
  auto path = RunPath(Tiny(), {{"danger", {"yes"}}}, kCalm);
  ASSERT_TRUE(NextStep(Tiny(), path.state).finished);
  ASSERT_TRUE(GoBack(&path.state).ok());
  const Step step = NextStep(Tiny(), path.state);
  ASSERT_FALSE(step.finished);
  EXPECT_EQ(Tiny().questions[step.question].id, "danger");
  EXPECT_FALSE(HasAnswers(path.state));
  EXPECT_EQ(GoBack(&path.state).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(EngineTest, GoBackOverASkippedQuestion) {
  auto path = RunPath(Tiny(), {{"worry", {"yes"}}}, kCalm);  // style skipped
  ASSERT_TRUE(GoBack(&path.state).ok());                      // withdraws extras
  EXPECT_EQ(Tiny().questions[NextStep(Tiny(), path.state).question].id, "extras");
  ASSERT_TRUE(GoBack(&path.state).ok());                      // withdraws days
  EXPECT_EQ(Tiny().questions[NextStep(Tiny(), path.state).question].id, "days");
}

TEST(EngineTest, TypedDurationOnTheTinyDialog) {
  const CompiledQuestion& days = Tiny().questions[Tiny().QuestionIndex("days")];
  EXPECT_EQ(MatchAnswer(days, Tiny().vocabulary, "10 days").options, 0b10u);
  EXPECT_EQ(MatchAnswer(days, Tiny().vocabulary, "a day").options, 0b01u);
}

}  // namespace
}  // namespace backchat::engine
