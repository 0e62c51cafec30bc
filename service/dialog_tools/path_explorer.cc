#include "service/dialog_tools/path_explorer.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace backchat::engine {
namespace {

constexpr int kMaxDistinctOptions = 20;

}  // namespace

// Every clause option mask of the dialog that concerns `question`.
std::vector<OptionMask> ClauseMasks(const CompiledDialog& dialog, int question) {
  std::vector<OptionMask> masks;
  auto add = [&](const std::vector<Conjunction>& any) {
    for (const Conjunction& conjunction : any) {
      for (const Clause& clause : conjunction.clauses) {
        if (clause.question == question) masks.push_back(clause.options);
      }
    }
  };
  for (const auto& q : dialog.questions) add(q.ask_if.any);
  for (const auto& flag : dialog.red_flags) add(flag.rule.any);
  for (const auto& rule : dialog.technique_rules) add(rule.rule.any);
  for (const auto& rule : dialog.frequency_rules) add(rule.rule.any);
  add(dialog.require_gentle_technique);
  return masks;
}

namespace {

double Pow2(size_t n) { return static_cast<double>(uint64_t{1} << n); }

}  // namespace

std::vector<AnswerClass> AnswerClasses(const CompiledDialog& dialog,
                                       int question, std::string* error) {
  const CompiledQuestion& q = dialog.questions[question];
  std::vector<bool> exclusive;
  for (const auto& option : q.options) exclusive.push_back(option.exclusive);
  return AnswerClassesOf(q.id, exclusive, q.multiple_choice(), ClauseMasks(dialog, question),
                         error);
}

std::vector<AnswerClass> AnswerClassesOf(absl::string_view question_id,
                                         const std::vector<bool>& exclusive,
                                         bool multiple_choice,
                                         const std::vector<OptionMask>& masks,
                                         std::string* error) {
  const size_t option_count = exclusive.size();
  // An option's column: which clauses it makes true. Options with the same
  // column are interchangeable.
  auto column = [&](size_t option) {
    std::vector<bool> c;
    for (OptionMask mask : masks) c.push_back((mask >> option) & 1);
    return c;
  };
  std::vector<AnswerClass> classes;
  if (!multiple_choice) {
    std::map<std::vector<bool>, AnswerClass> by_column;
    std::vector<std::vector<bool>> order;
    for (size_t o = 0; o < option_count; ++o) {
      auto [it, inserted] = by_column.emplace(column(o), AnswerClass{OptionMask{1} << o, 0});
      if (inserted) order.push_back(it->first);
      it->second.size += 1;
    }
    for (const auto& c : order) classes.push_back(by_column[c]);
    return classes;
  }
  // Multiple choice: each exclusive option alone; then any non-empty set of
  // the others, grouped by which columns it includes.
  std::map<std::vector<bool>, std::vector<size_t>> groups;  // column -> options
  std::vector<std::vector<bool>> group_order;
  size_t neutral = 0;
  OptionMask neutral_option = 0;
  for (size_t o = 0; o < option_count; ++o) {
    if (exclusive[o]) {
      classes.push_back({OptionMask{1} << o, 1});
      continue;
    }
    std::vector<bool> c = column(o);
    if (std::find(c.begin(), c.end(), true) == c.end()) {
      if (neutral++ == 0) neutral_option = OptionMask{1} << o;
      continue;
    }
    auto [it, inserted] = groups.emplace(c, std::vector<size_t>{});
    if (inserted) group_order.push_back(c);
    it->second.push_back(o);
  }
  if (group_order.size() > kMaxDistinctOptions) {
    *error = absl::StrCat("question \"", question_id, "\" has ", group_order.size(),
                          " distinguishable options; at most ",
                          kMaxDistinctOptions, " can be proven");
    return {};
  }
  const size_t g = group_order.size();
  for (uint64_t subset = 0; subset < (uint64_t{1} << g); ++subset) {
    OptionMask representative = 0;
    double size = 1;
    for (size_t k = 0; k < g; ++k) {
      if ((subset >> k) & 1) {
        const auto& members = groups[group_order[k]];
        representative |= OptionMask{1} << members.front();
        size *= Pow2(members.size()) - 1;  // Any non-empty subset of the group.
      }
    }
    // Neutral options may be added to anything; alone they need one.
    if (subset == 0) {
      if (neutral == 0) continue;
      representative = neutral_option;
      size = Pow2(neutral) - 1;
    } else {
      size *= Pow2(neutral);
    }
    classes.push_back({representative, size});
  }
  return classes;
}

bool AnyHolds(const std::vector<Conjunction>& conditions,
              const SessionState& state) {
  for (const Conjunction& conjunction : conditions) {
    bool all = true;
    for (const Clause& clause : conjunction.clauses) {
      all = all && (state.answers[clause.question] & clause.options) != 0;
    }
    if (all) return true;
  }
  return false;
}

namespace {

struct Explorer {
  const CompiledDialog& dialog;
  const OnAnswer& on_answer;
  const OnOutcome& on_outcome;
  size_t max_paths;
  std::vector<std::vector<AnswerClass>> classes;
  ExploreResult result;
  ExploredPath path;

  void Visit(const Step& step, int last_question) {
    if (!result.incomplete.empty()) return;
    if (step.finished) {
      if (result.paths >= max_paths) {
        result.incomplete = absl::StrCat("more than ", max_paths, " paths");
        return;
      }
      ++result.paths;
      result.combinations += path.combinations;
      path.outcome = step;
      on_outcome(path);
      return;
    }
    if (step.question <= last_question) {
      result.incomplete = absl::StrCat(
          "the engine asked question \"", dialog.questions[step.question].id,
          "\" again after \"", dialog.questions[last_question].id, "\"");
      return;
    }
    const double before = path.combinations;
    for (const AnswerClass& c : classes[step.question]) {
      path.state.answers[step.question] = c.representative;
      path.steps.push_back({step.question, c.representative});
      path.combinations = before * c.size;
      const Step next = NextStep(dialog, path.state);
      if (on_answer) on_answer(path.steps, path.state, next);
      Visit(next, step.question);
      path.steps.pop_back();
    }
    path.state.answers[step.question] = 0;
    path.combinations = before;
  }
};

}  // namespace

ExploreResult ExploreAllPaths(const CompiledDialog& dialog,
                              const OnAnswer& on_answer,
                              const OnOutcome& on_outcome, size_t max_paths) {
  Explorer explorer{dialog, on_answer, on_outcome, max_paths, {}, {}, {}};
  for (size_t q = 0; q < dialog.questions.size(); ++q) {
    std::string error;
    explorer.classes.push_back(AnswerClasses(dialog, static_cast<int>(q), &error));
    if (!error.empty()) {
      explorer.result.incomplete = error;
      return explorer.result;
    }
  }
  explorer.path.state = NewSessionState(dialog);
  explorer.Visit(NextStep(dialog, explorer.path.state), -1);
  return explorer.result;
}

std::string PathTranscript(const CompiledDialog& dialog,
                           const std::vector<PathStep>& steps, const Step& end) {
  std::string out;
  for (const PathStep& step : steps) {
    const CompiledQuestion& q = dialog.questions[step.question];
    std::vector<absl::string_view> options;
    for (size_t o = 0; o < q.options.size(); ++o) {
      if ((step.answer >> o) & 1) options.push_back(q.options[o].id);
    }
    absl::StrAppend(&out, q.id, " = ", absl::StrJoin(options, " + "), "\n");
  }
  if (!end.finished) {
    absl::StrAppend(&out, "=> (continues with \"",
                    dialog.questions[end.question].id, "\")\n");
    return out;
  }
  absl::StrAppend(&out, "=> ",
                  absl::StripPrefix(triage::v1::Level_Name(end.level), "LEVEL_"));
  std::vector<absl::string_view> flags;
  for (int flag : end.fired_flags) flags.push_back(dialog.red_flags[flag].id);
  if (!flags.empty()) absl::StrAppend(&out, " flags: ", absl::StrJoin(flags, ", "));
  if (end.technique_rule >= 0) {
    const auto& rule = dialog.technique_rules[end.technique_rule];
    absl::StrAppend(&out, " technique: ", dialog.techniques[rule.technique].id,
                    " (rule ", rule.id, ")");
  }
  if (end.frequency_rule >= 0) {
    absl::StrAppend(&out, " frequency: ", dialog.frequency_rules[end.frequency_rule].id);
  }
  absl::StrAppend(&out, "\n");
  return out;
}

}  // namespace backchat::engine
