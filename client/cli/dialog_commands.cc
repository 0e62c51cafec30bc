#include "client/cli/dialog_commands.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "client/cli/conversation_loop.h"
#include "service/engine/dialog_graph.h"
#include "service/engine/dialog_registry.h"

namespace backchat::cli {
namespace {

// "red_flags.ID" for each rule without a source, in file order.
std::vector<std::string> RulesWithoutSource(const engine::CompiledDialog& dialog) {
  std::vector<std::string> out;
  for (const auto& flag : dialog.red_flags) {
    if (flag.source.empty()) out.push_back(absl::StrCat("red_flags.", flag.id));
  }
  for (const auto& rule : dialog.technique_rules) {
    if (rule.source.empty()) out.push_back(absl::StrCat("technique_rules.", rule.id));
  }
  for (const auto& rule : dialog.frequency_rules) {
    if (rule.source.empty()) out.push_back(absl::StrCat("frequency_rules.", rule.id));
  }
  return out;
}

int Check(const std::string& path, std::ostream& out, std::ostream& err) {
  const absl::Time start = absl::Now();
  auto set = engine::LoadDialogPath(path);
  const absl::Duration took = absl::Now() - start;
  if (!set.ok()) {
    err << set.status().message() << "\n";
    return kExitRpcError;
  }
  for (const auto& bundle : set->bundles) {
    std::vector<std::string> locales;
    for (const auto& language : bundle->Languages())
      locales.push_back(language->locale);
    out << bundle->check_report().Summary()
        << "  languages: " << absl::StrJoin(locales, ", ")
        << " (every text translated)\n";
    out << "  typed answers: every label and synonym reads as its option";
    if (!bundle->typed_answer_warnings().empty()) {
      out << "; " << bundle->typed_answer_warnings().size() << " warnings:";
      for (const std::string& warning : bundle->typed_answer_warnings()) {
        out << "\n    " << warning;
      }
    }
    out << "\n";
    const std::vector<std::string> unsourced = RulesWithoutSource(bundle->base());
    if (unsourced.empty()) {
      out << "  sources: every red flag, technique rule and frequency rule names its basis\n";
    } else {
      out << "  sources: " << unsourced.size() << " rules name no basis (`source`): "
          << absl::StrJoin(unsourced, ", ") << "\n";
    }
  }
  out << "loaded and checked in " << absl::FormatDuration(took) << "\n";
  return kExitOutcome;
}

// Writes `dot` through Graphviz into `svg_path`.
int WriteSvg(const std::string& dot, const std::string& svg_path,
             std::ostream& err) {
  const std::string command = absl::StrCat("dot -Tsvg -o '", svg_path, "'");
  if (svg_path.find('\'') != std::string::npos) {
    err << "the SVG path may not contain a quote\n";
    return kExitUsage;
  }
  FILE* pipe = popen(command.c_str(), "w");
  if (pipe == nullptr) {
    err << "cannot run Graphviz dot (apt-get install graphviz)\n";
    return kExitRpcError;
  }
  fwrite(dot.data(), 1, dot.size(), pipe);
  const int status = pclose(pipe);
  if (status != 0) {
    err << "Graphviz dot failed (is it installed? apt-get install graphviz)\n";
    return kExitRpcError;
  }
  return kExitOutcome;
}

int Graph(const std::string& path, const std::string& svg_path,
          std::ostream& out, std::ostream& err) {
  auto set = engine::LoadDialogPath(path);
  if (!set.ok()) {
    err << set.status().message() << "\n";
    return kExitRpcError;
  }
  std::string dot;
  for (const auto& bundle : set->bundles) dot += engine::DialogGraphDot(bundle->base());
  if (svg_path.empty()) {
    out << dot;
    return kExitOutcome;
  }
  return WriteSvg(dot, svg_path, err);
}

}  // namespace

int RunDialogCommand(const std::vector<std::string>& args, std::ostream& out,
                     std::ostream& err) {
  if (args.size() >= 2 && args[0] == "check" && args.size() == 2) {
    return Check(args[1], out, err);
  }
  if (args.size() >= 2 && args[0] == "graph" && args.size() <= 3) {
    return Graph(args[1], args.size() == 3 ? args[2] : "", out, err);
  }
  err << "usage: backchat dialog check PATH | backchat dialog graph PATH "
         "[SVG_FILE]\n";
  return kExitUsage;
}

}  // namespace backchat::cli
