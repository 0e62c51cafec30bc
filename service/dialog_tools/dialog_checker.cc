#include "service/dialog_tools/dialog_checker.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "service/engine/level_name.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace backchat::engine {
namespace {

constexpr size_t kKeptProblems = 10;


std::string Indented(const std::string& transcript) {
  return "    " + absl::StrReplaceAll(
                      absl::StripSuffix(transcript, "\n"), {{"\n", "\n    "}});
}

class Checker {
 public:
  explicit Checker(const CompiledDialog& dialog)
      : dialog_(dialog),
        fired_(dialog.red_flags.size(), false),
        decisive_(dialog.red_flags.size(), false),
        asked_(dialog.questions.size(), false) {
    report_.dialog_id = dialog.id;
    report_.version = dialog.version;
    report_.flags = dialog.red_flags.size();
  }

  CheckReport Run() {
    report_.shortest = SIZE_MAX;
    report_.explored = ExploreAllPaths(
        dialog_,
        [&](const std::vector<PathStep>& steps, const SessionState& after,
            const Step& next) { AfterAnswer(steps, after, next); },
        [&](const ExploredPath& path) { AtOutcome(path); });
    if (report_.shortest == SIZE_MAX) report_.shortest = 0;
    if (!report_.explored.incomplete.empty()) {
      Problem(absl::StrCat("not every path could be visited: ",
                           report_.explored.incomplete));
      return report_;
    }
    for (size_t q = 0; q < asked_.size(); ++q) {
      if (!asked_[q]) {
        Problem(absl::StrFormat("question \"%s\" is never asked: on every path "
                                "its ask_if fails or no rule it feeds can still "
                                "change the outcome",
                                dialog_.questions[q].id));
      }
    }
    for (size_t f = 0; f < fired_.size(); ++f) {
      const CompiledRedFlag& flag = dialog_.red_flags[f];
      if (!fired_[f]) {
        Problem(absl::StrFormat("red flag \"%s\" never fires on any path",
                                flag.id));
      } else if (!decisive_[f]) {
        Problem(absl::StrFormat("red flag \"%s\" never sets the outcome level "
                                "(%s) on any path",
                                flag.id, LevelName(flag.level)));
      } else {
        ++report_.flags_proven;
      }
    }
    return report_;
  }

 private:
  void Problem(const std::string& what, const std::vector<PathStep>* steps = nullptr,
               const Step* end = nullptr) {
    if (report_.problems.size() < kKeptProblems) {
      std::string text = absl::StrCat("dialog \"", dialog_.id, "\": ", what);
      if (steps != nullptr) {
        absl::StrAppend(&text, "\n  path:\n",
                        Indented(PathTranscript(dialog_, *steps, *end)));
      }
      report_.problems.push_back(std::move(text));
    }
    ++report_.problem_count;
  }

  // (b) an EMERGENCY answer ends the dialog at once.
  void AfterAnswer(const std::vector<PathStep>& steps, const SessionState& after,
                   const Step& next) {
    asked_[steps.back().question] = true;
    if (next.finished) return;
    for (const CompiledRedFlag& flag : dialog_.red_flags) {
      if (flag.level == triage::v1::LEVEL_EMERGENCY &&
          AnyHolds(flag.rule.any, after)) {
        Problem(absl::StrFormat("EMERGENCY flag \"%s\" fired but the dialog "
                                "goes on",
                                flag.id),
                &steps, &next);
        return;
      }
    }
  }

  void AtOutcome(const ExploredPath& path) {
    const Step& end = path.outcome;
    const size_t length = path.steps.size();
    report_.shortest = std::min(report_.shortest, length);
    report_.longest = std::max(report_.longest, length);
    ++report_.outcomes[end.level];

    // (a) never below a raised flag, and every raised flag named.
    for (size_t f = 0; f < dialog_.red_flags.size(); ++f) {
      const CompiledRedFlag& flag = dialog_.red_flags[f];
      const bool holds = AnyHolds(flag.rule.any, path.state);
      const bool named = std::find(end.fired_flags.begin(), end.fired_flags.end(),
                                   static_cast<int>(f)) != end.fired_flags.end();
      if (holds && MoreUrgent(flag.level, end.level)) {
        Problem(absl::StrFormat("outcome %s is less urgent than red flag \"%s\" "
                                "(%s)",
                                LevelName(end.level), flag.id, LevelName(flag.level)),
                &path.steps, &end);
      }
      if (holds != named) {
        Problem(absl::StrFormat("red flag \"%s\" %s", flag.id,
                                holds ? "holds but is not named in the outcome"
                                      : "is named but does not hold"),
                &path.steps, &end);
      }
      if (holds) {
        fired_[f] = true;
        if (flag.level == end.level) decisive_[f] = true;
      }
    }

    // (c) what a SELF_CARE outcome must carry.
    if (end.level != triage::v1::LEVEL_SELF_CARE) return;
    report_.longest_self_care = std::max(report_.longest_self_care, length);
    if (end.technique_rule < 0 || end.frequency_rule < 0) {
      Problem("SELF_CARE without a technique or a frequency", &path.steps, &end);
      return;
    }
    const CompiledTechnique& technique =
        dialog_.techniques[dialog_.technique_rules[end.technique_rule].technique];
    if (!technique.gentle && AnyHolds(dialog_.require_gentle_technique, path.state)) {
      Problem(absl::StrFormat("technique \"%s\" is not gentle, but these answers "
                              "require a gentle technique",
                              technique.id),
              &path.steps, &end);
    }
  }

  const CompiledDialog& dialog_;
  CheckReport report_;
  std::vector<bool> fired_;
  std::vector<bool> decisive_;
  std::vector<bool> asked_;
};

}  // namespace

CheckReport CheckDialog(const CompiledDialog& dialog) {
  return Checker(dialog).Run();
}

std::string CheckReport::Summary() const {
  std::string out = absl::StrFormat(
      "dialog \"%s\" version %s: %s\n"
      "  %d paths, covering %.0f answer combinations\n"
      "  outcomes: EMERGENCY %d, URGENT %d, SEE_DOCTOR %d, SELF_CARE %d paths\n"
      "  questions per path: shortest %d, longest %d; longest SELF_CARE %d\n"
      "  red flags proven (fire and set their level on some path): %d of %d\n",
      dialog_id, version, ok() ? "safe" : "NOT SAFE", explored.paths,
      explored.combinations, outcomes[triage::v1::LEVEL_EMERGENCY],
      outcomes[triage::v1::LEVEL_URGENT], outcomes[triage::v1::LEVEL_SEE_DOCTOR],
      outcomes[triage::v1::LEVEL_SELF_CARE], shortest, longest,
      longest_self_care, flags_proven, flags);
  if (!ok()) absl::StrAppend(&out, "  problems: ", problem_count, "\n");
  return out;
}

}  // namespace backchat::engine
