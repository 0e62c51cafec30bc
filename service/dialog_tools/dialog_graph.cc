#include "service/dialog_tools/dialog_graph.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "service/dialog_tools/path_explorer.h"

namespace backchat::engine {
namespace {

std::string Quoted(absl::string_view text) {
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\\", "\\\\"}, {"\"", "\\\""}}),
                      "\"");
}

std::string Wrapped(absl::string_view text, size_t width) {
  std::string out;
  size_t line = 0;
  for (absl::string_view word : absl::StrSplit(text, ' ')) {
    if (line > 0 && line + word.size() > width) {
      out += "\\n";
      line = 0;
    } else if (line > 0) {
      out += ' ';
      ++line;
    }
    absl::StrAppend(&out, word);
    line += word.size();
  }
  return out;
}

const char* LevelColour(Level level) {
  switch (level) {
    case triage::v1::LEVEL_EMERGENCY: return "#d32f2f";
    case triage::v1::LEVEL_URGENT: return "#f57c00";
    case triage::v1::LEVEL_SEE_DOCTOR: return "#fbc02d";
    default: return "#388e3c";
  }
}

std::string NodeOf(const CompiledDialog& dialog, const Step& step) {
  if (!step.finished) return Quoted(dialog.questions[step.question].id);
  return Quoted(absl::StripPrefix(triage::v1::Level_Name(step.level), "LEVEL_"));
}

}  // namespace

std::string DialogGraphDot(const CompiledDialog& dialog) {
  // (from, to) -> the answers that lead there: single options, and
  // combinations ("a+b") of multiple-choice answers.
  struct Labels {
    std::set<std::string> singles;
    std::set<std::string> combinations;
  };
  std::map<std::pair<std::string, std::string>, Labels> edges;
  std::set<Level> outcomes;
  std::set<int> asked;
  ExploreAllPaths(
      dialog,
      [&](const std::vector<PathStep>& steps, const SessionState&, const Step& next) {
        const PathStep& last = steps.back();
        const CompiledQuestion& q = dialog.questions[last.question];
        asked.insert(last.question);
        Labels& labels = edges[{Quoted(q.id), NodeOf(dialog, next)}];
        std::vector<std::string> ids;
        for (size_t o = 0; o < q.options.size(); ++o) {
          if ((last.answer >> o) & 1) ids.push_back(q.options[o].id);
        }
        (ids.size() == 1 ? labels.singles : labels.combinations)
            .insert(absl::StrJoin(ids, "+"));
        if (next.finished) outcomes.insert(next.level);
      },
      [](const ExploredPath&) {});

  std::string out = absl::StrCat(
      "digraph ", Quoted(dialog.id), " {\n",
      "  graph [rankdir=TB, fontname=\"Helvetica\", label=",
      Quoted(absl::StrCat(dialog.title, " (", dialog.id, " ", dialog.version, ")")),
      ", labelloc=t];\n",
      "  node [fontname=\"Helvetica\", fontsize=10];\n",
      "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#607d8b\"];\n");
  for (int q : asked) {
    const CompiledQuestion& question = dialog.questions[q];
    absl::StrAppend(&out, "  ", Quoted(question.id), " [shape=box, style=rounded, label=\"",
                    question.id, "\\n",
                    absl::StrReplaceAll(Wrapped(question.text, 40), {{"\"", "\\\""}}),
                    "\"];\n");
  }
  for (Level level : outcomes) {
    absl::StrAppend(&out, "  ",
                    Quoted(absl::StripPrefix(triage::v1::Level_Name(level), "LEVEL_")),
                    " [shape=ellipse, style=filled, fontcolor=white, fillcolor=\"",
                    LevelColour(level), "\"];\n");
  }
  // An edge shows the single answers that take it; combinations only when
  // no single answer does (so "a" is never shown where only "a+b" leads).
  for (const auto& [ends, labels] : edges) {
    const std::set<std::string>& chosen =
        labels.singles.empty() ? labels.combinations : labels.singles;
    std::vector<std::string> shown(chosen.begin(), chosen.end());
    if (shown.size() > 6) {
      shown.resize(6);
      shown.push_back("...");
    }
    absl::StrAppend(&out, "  ", ends.first, " -> ", ends.second, " [label=",
                    Quoted(absl::StrJoin(shown, "\n")), "];\n");
  }
  absl::StrAppend(&out, "}\n");
  return out;
}

}  // namespace backchat::engine
