#include "client/cli/dialog_commands.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "client/cli/conversation_loop.h"
#include "service/dialog_tools/approvals_file.h"
#include "service/dialog_tools/dialog_diff.h"
#include "service/dialog_tools/dialog_graph.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/dialog_tools/safety_report.h"

namespace backchat::cli {
namespace {

// The diff for machines: one object per dialog, fields as dialog_diff.h's.
std::string DiffAsJson(const std::vector<engine::DialogDiff>& diffs) {
  using Json = nlohmann::ordered_json;
  Json dialogs = Json::array();
  for (const engine::DialogDiff& diff : diffs) {
    Json outcomes = Json::array();
    for (const engine::OutcomeChange& change : diff.outcome_changes) {
      Json example = Json::array();
      for (const engine::DiffAnswer& answer : change.example) {
        example.push_back({{"question", answer.question}, {"options", answer.options}});
      }
      outcomes.push_back({{"changes", change.changes},
                          {"less_urgent", change.less_urgent},
                          {"more_urgent", change.more_urgent},
                          {"paths", change.paths},
                          {"combinations", change.combinations},
                          {"example", example},
                          {"old_outcome", change.old_outcome},
                          {"new_outcome", change.new_outcome}});
    }
    Json content = Json::array();
    for (const engine::ContentChange& change : diff.content_changes) {
      content.push_back({{"kind", change.kind}, {"where", change.where}, {"detail", change.detail}});
    }
    dialogs.push_back({{"id", diff.id},
                       {"old_version", diff.old_version},
                       {"new_version", diff.new_version},
                       {"paths_compared", diff.paths_compared},
                       {"combinations_one_side_only", diff.combinations_one_side_only},
                       {"outcome_changes", outcomes},
                       {"content_changes", content}});
  }
  return Json({{"dialogs", dialogs}}).dump(-1, ' ', false, Json::error_handler_t::replace);
}

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

// Exit status as diff(1): 0 no difference, 1 differences, 2 trouble.
int Diff(const std::string& old_path, const std::string& new_path, bool json, std::ostream& out,
         std::ostream& err) {
  auto old_set = engine::LoadDialogPath(old_path);
  if (!old_set.ok()) {
    err << old_path << ": " << old_set.status().message() << "\n";
    return kExitUsage;
  }
  auto new_set = engine::LoadDialogPath(new_path);
  if (!new_set.ok()) {
    err << new_path << ": " << new_set.status().message() << "\n";
    return kExitUsage;
  }
  auto diffs = engine::DiffDialogs(*old_set, *new_set);
  if (!diffs.ok()) {
    err << diffs.status().message() << "\n";
    return kExitUsage;
  }
  const bool same = std::all_of(diffs->begin(), diffs->end(), [](const auto& d) { return d.empty(); });
  if (json) {
    out << DiffAsJson(*diffs) << "\n";
  } else {
    out << engine::DiffAsText(*diffs);
  }
  return same ? 0 : 1;
}

// The approvals file beside a dialog file or in a dialog directory; none
// when there is no file.
absl::StatusOr<dialog::v1::Approvals> ApprovalsBeside(const std::string& path) {
  const std::filesystem::path dir = std::filesystem::is_directory(path)
                                        ? std::filesystem::path(path)
                                        : std::filesystem::path(path).parent_path();
  const std::string file = (dir / engine::kApprovalsFileName).string();
  std::ifstream in(file, std::ios::binary);
  if (!in) return dialog::v1::Approvals();
  std::stringstream text;
  text << in.rdbuf();
  return engine::ParseApprovals(text.str(), file);
}

int Report(const std::string& path, const std::string& html_path, const std::string& approved_path,
           std::ostream& out, std::ostream& err) {
  auto set = engine::LoadDialogPath(path);
  if (!set.ok()) {
    err << set.status().message() << "\n";
    return kExitRpcError;
  }
  if (set->bundles.size() != 1) {
    err << path << " holds " << set->bundles.size()
        << " dialogs; give one dialog file (the report is per dialog)\n";
    return kExitUsage;
  }
  auto approvals = ApprovalsBeside(path);
  if (!approvals.ok()) {
    err << approvals.status().message() << "\n";
    return kExitRpcError;
  }
  const engine::DialogBundle& bundle = *set->bundles[0];
  engine::SafetyReportInputs inputs;
  inputs.bundle = &bundle;
  inputs.approval = engine::FindApproval(*approvals, bundle.id(), bundle.version());
  std::vector<engine::DialogDiff> diffs;
  if (!approved_path.empty()) {
    auto approved = engine::LoadDialogPath(approved_path);
    if (!approved.ok()) {
      err << approved_path << ": " << approved.status().message() << "\n";
      return kExitRpcError;
    }
    auto diffed = engine::DiffDialogs(*approved, *set);
    if (!diffed.ok()) {
      err << diffed.status().message() << "\n";
      return kExitRpcError;
    }
    diffs = *std::move(diffed);
    for (const auto& diff : diffs) {
      if (diff.id == bundle.id()) inputs.diff_from_approved = &diff;
    }
    inputs.approved_source = approved_path;
  }
  const std::string svg_path = html_path + ".svg.tmp";
  std::ostringstream ignored;
  if (WriteSvg(engine::DialogGraphDot(bundle.base()), svg_path, ignored) == kExitOutcome) {
    std::stringstream svg;
    svg << std::ifstream(svg_path).rdbuf();
    inputs.svg = svg.str();
  } else {
    err << "no dialog picture in the report: " << ignored.str();
  }
  std::filesystem::remove(svg_path);
  std::ofstream html(html_path, std::ios::binary);
  html << engine::SafetyReportHtml(inputs);
  if (!html.flush()) {
    err << "cannot write " << html_path << "\n";
    return kExitRpcError;
  }
  out << "wrote the safety report of " << bundle.id() << " version " << bundle.version() << " to "
      << html_path << (inputs.approval ? " (approved)" : " (NOT approved)") << "\n";
  return kExitOutcome;
}

}  // namespace

int RunDialogCommand(const std::vector<std::string>& args, bool json, std::ostream& out,
                     std::ostream& err) {
  if (args.size() == 3 && args[0] == "diff") return Diff(args[1], args[2], json, out, err);
  if ((args.size() == 3 || args.size() == 4) && args[0] == "report") {
    return Report(args[1], args[2], args.size() == 4 ? args[3] : "", out, err);
  }
  if (args.size() >= 2 && args[0] == "check" && args.size() == 2) {
    return Check(args[1], out, err);
  }
  if (args.size() >= 2 && args[0] == "graph" && args.size() <= 3) {
    return Graph(args[1], args.size() == 3 ? args[2] : "", out, err);
  }
  err << "usage: backchat dialog check PATH | backchat dialog graph PATH [SVG_FILE] | "
         "backchat [--json] dialog diff OLD_PATH NEW_PATH | "
         "backchat dialog report PATH OUT.html [APPROVED_PATH]\n";
  return kExitUsage;
}

}  // namespace backchat::cli
