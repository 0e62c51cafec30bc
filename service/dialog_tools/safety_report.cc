#include "service/dialog_tools/safety_report.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "service/engine/level_name.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "service/dialog_tools/path_explorer.h"

namespace backchat::engine {
namespace {

// Text as HTML element content or attribute value.
std::string Html(absl::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}


constexpr char kStyle[] = R"css(
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.level-EMERGENCY { color: #a00000; font-weight: 600; } .level-URGENT { color: #9a4a00; font-weight: 600; }
.approved { border-left: 4px solid #1a7f37; padding: .5rem 1rem; background: #eef8f0; }
.unapproved { border-left: 4px solid #a00000; padding: .5rem 1rem; background: #fbeeee; }
.missing { color: #a00000; font-weight: 600; }
pre { background: #f6f6f6; padding: 1rem; overflow-x: auto; white-space: pre-wrap; }
.picture { overflow-x: auto; border: 1px solid #ccc; } .picture svg { max-width: none; }
)css";

}  // namespace

std::string SafetyReportHtml(const SafetyReportInputs& inputs) {
  const DialogBundle& bundle = *inputs.bundle;
  const CompiledDialog& dialog = bundle.base();
  const CheckReport& check = bundle.check_report();

  // Paths and answer combinations that reach each red flag.
  std::vector<size_t> flag_paths(dialog.red_flags.size());
  std::vector<double> flag_combinations(dialog.red_flags.size());
  std::array<double, 5> level_combinations{};
  ExploreAllPaths(dialog, nullptr, [&](const ExploredPath& path) {
    for (int f : path.outcome.fired_flags) {
      ++flag_paths[f];
      flag_combinations[f] += path.combinations;
    }
    level_combinations[path.outcome.level] += path.combinations;
  });

  std::string languages;
  for (const auto& language : bundle.Languages()) {
    absl::StrAppend(&languages, languages.empty() ? "" : ", ", language->locale);
  }
  std::string out = absl::StrCat(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>Safety report: ", Html(dialog.title), " (", Html(dialog.version), ")</title><style>",
      kStyle, "</style></head><body>\n<h1>Safety report: ", Html(dialog.title), "</h1>\n<p>Dialog <code>",
      Html(dialog.id), "</code>, version <code>", Html(dialog.version), "</code> (content hash of ",
      Html(dialog.source_path), " and its translations); languages ", Html(languages), ".</p>\n");

  if (inputs.approval) {
    absl::StrAppend(&out, "<p class=\"approved\">Approved by <strong>", Html(inputs.approval->approver()),
                    "</strong> (", Html(inputs.approval->role()), ") on ", Html(inputs.approval->date()),
                    inputs.approval->note().empty() ? "" : ": ", Html(inputs.approval->note()),
                    ".</p>\n");
  } else {
    absl::StrAppend(&out, "<p class=\"unapproved\"><strong>Not approved.</strong> No entry for this "
                          "version in approvals.txtpb.</p>\n");
  }

  absl::StrAppend(&out, "<h2>Proof</h2>\n<pre>", Html(check.Summary()), "</pre>\n");

  absl::StrAppend(&out, "<h2>Outcomes</h2>\n<table><thead><tr><th>Level</th><th>What the person is "
                        "told</th><th>Paths</th><th>Answer combinations</th></tr></thead><tbody>\n");
  for (int level = triage::v1::LEVEL_EMERGENCY; level <= triage::v1::LEVEL_SELF_CARE; ++level) {
    const std::string name(LevelName(static_cast<Level>(level)));
    absl::StrAppend(&out, "<tr><td class=\"level-", name, "\">", name, "</td><td>",
                    Html(dialog.level_texts[level].headline), "</td><td class=\"n\">",
                    check.outcomes[level], "</td><td class=\"n\">",
                    absl::StrFormat("%.0f", level_combinations[level]), "</td></tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table>\n");

  absl::StrAppend(&out, "<h2>Red flags</h2>\n<table><thead><tr><th>Red flag</th><th>Level</th>"
                        "<th>What the person is told</th><th>Source</th><th>Paths</th>"
                        "<th>Answer combinations</th></tr></thead><tbody>\n");
  for (size_t f = 0; f < dialog.red_flags.size(); ++f) {
    const CompiledRedFlag& flag = dialog.red_flags[f];
    const std::string level(LevelName(flag.level));
    absl::StrAppend(&out, "<tr><td><code>", Html(flag.id), "</code></td><td class=\"level-", level,
                    "\">", level, "</td><td>", Html(flag.reason), "</td><td>",
                    flag.source.empty() ? "<span class=\"missing\">none given</span>" : Html(flag.source),
                    "</td><td class=\"n\">", flag_paths[f], "</td><td class=\"n\">",
                    absl::StrFormat("%.0f", flag_combinations[f]), "</td></tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table>\n");

  absl::StrAppend(&out, "<h2>Since the last approved version</h2>\n");
  if (inputs.diff_from_approved == nullptr) {
    absl::StrAppend(&out, "<p>No approved version was given to compare with (<code>backchat dialog "
                          "report PATH OUT.html APPROVED_PATH</code>).</p>\n");
  } else {
    absl::StrAppend(&out, "<p>Compared with ", Html(inputs.approved_source), ":</p>\n<pre>",
                    Html(DiffAsText({*inputs.diff_from_approved})), "</pre>\n");
  }

  absl::StrAppend(&out, "<h2>The dialog</h2>\n");
  if (inputs.svg.empty()) {
    absl::StrAppend(&out, "<p>No picture: Graphviz's <code>dot</code> was not found "
                          "(<code>apt-get install graphviz</code>).</p>\n");
  } else {
    // Graphviz's SVG, without its XML prolog and doctype.
    const size_t svg_start = inputs.svg.find("<svg");
    absl::StrAppend(&out, "<div class=\"picture\">",
                    svg_start == std::string::npos ? "" : inputs.svg.substr(svg_start), "</div>\n");
  }
  absl::StrAppend(&out, "</body></html>\n");
  return out;
}

}  // namespace backchat::engine
