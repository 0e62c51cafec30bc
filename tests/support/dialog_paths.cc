#include "tests/support/dialog_paths.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "service/dialog_tools/dialog_compiler.h"
#include "service/dialog_tools/path_explorer.h"

namespace backchat::testing {

using engine::CompiledDialog;
using engine::OptionMask;

std::vector<std::string> PathResult::FlagIds(const CompiledDialog& dialog) const {
  std::vector<std::string> ids;
  for (int flag : outcome.fired_flags) ids.push_back(dialog.red_flags[flag].id);
  return ids;
}

std::string PathResult::TechniqueId(const CompiledDialog& dialog) const {
  if (outcome.technique_rule < 0) return "";
  return dialog.techniques[dialog.technique_rules[outcome.technique_rule].technique].id;
}

std::string PathResult::FrequencyId(const CompiledDialog& dialog) const {
  if (outcome.frequency_rule < 0) return "";
  return dialog.frequency_rules[outcome.frequency_rule].id;
}

bool PathResult::Asked(const std::string& question_id) const {
  return std::find(asked.begin(), asked.end(), question_id) != asked.end();
}

std::shared_ptr<const CompiledDialog> LoadSourceDialog(
    const std::string& relative_path) {
  auto dialog = engine::LoadDialogFile(
      absl::StrCat(BACKCHAT_SOURCE_DIR, "/", relative_path));
  if (!dialog.ok()) {
    std::cerr << dialog.status() << "\n";
    std::abort();
  }
  return *dialog;
}

PathResult RunPath(const CompiledDialog& dialog, const Answers& answers,
                   const Answers& defaults) {
  PathResult result;
  result.state = engine::NewSessionState(dialog);
  for (size_t guard = 0; guard <= dialog.questions.size(); ++guard) {
    const engine::Step step = engine::NextStep(dialog, result.state);
    if (step.finished) {
      result.outcome = step;
      return result;
    }
    const engine::CompiledQuestion& question = dialog.questions[step.question];
    result.asked.push_back(question.id);
    auto it = answers.find(question.id);
    if (it == answers.end()) it = defaults.find(question.id);
    if (it == defaults.end()) {
      ADD_FAILURE() << "no answer given for question \"" << question.id << "\"";
      return result;
    }
    OptionMask mask = 0;
    for (const std::string& option : it->second) {
      const int index = question.OptionIndex(option);
      if (index < 0) {
        ADD_FAILURE() << "question \"" << question.id << "\" has no option \""
                      << option << "\"";
        return result;
      }
      mask |= OptionMask{1} << index;
    }
    const absl::Status applied =
        engine::ApplyAnswer(dialog, step.question, mask, &result.state);
    if (!applied.ok()) {
      ADD_FAILURE() << applied;
      return result;
    }
  }
  ADD_FAILURE() << "the dialog asked more questions than it has";
  return result;
}

const Answers& BackPainSelfCareAnswers() {
  static const auto* answers = new Answers{
      {"warning_signs", {"none"}},
      {"injury", {"no_injury"}},
      {"cancer_history", {"no"}},
      {"cancer_signs", {"none"}},
      {"pain_location", {"lower_back"}},
      {"duration", {"acute"}},
      {"symptoms", {"none"}},
      {"leg_weakness_worse", {"no"}},
      {"immune_bone", {"none"}},
      {"sudden_severe", {"no"}},
      {"medical_history", {"none"}},
      {"age", {"age_20_to_54"}},
      {"first_episode", {"no"}},
      {"massage_history", {"massage_helped"}},
      {"back_feel", {"tension_stress"}},
      {"pressure", {"moderate"}},
      {"lifestyle", {"none_of_these"}},
  };
  return *answers;
}

size_t ForEachPath(const CompiledDialog& dialog,
                   const std::function<void(const PathResult&)>& visit) {
  const engine::ExploreResult result = engine::ExploreAllPaths(
      dialog, nullptr, [&](const engine::ExploredPath& explored) {
        PathResult path;
        for (const engine::PathStep& step : explored.steps) {
          path.asked.push_back(dialog.questions[step.question].id);
        }
        path.state = explored.state;
        path.outcome = explored.outcome;
        visit(path);
      });
  EXPECT_EQ(result.incomplete, "");
  return result.paths;
}

std::string Transcript(const CompiledDialog& dialog, const PathResult& path) {
  std::vector<engine::PathStep> steps;
  for (const std::string& id : path.asked) {
    const int q = dialog.QuestionIndex(id);
    steps.push_back({q, path.state.answers[q]});
  }
  return engine::PathTranscript(dialog, steps, path.outcome);
}

}  // namespace backchat::testing
