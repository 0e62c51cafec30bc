// One self-contained HTML page for the clinician who signs a dialog off:
// its picture, every red flag with its level, reason, source and how many
// paths reach it, the outcome distribution, the dialog check's proof
// summary, the approval, and what changed since the last approved version.
#ifndef BACKCHAT_SERVICE_DIALOG_TOOLS_SAFETY_REPORT_H_
#define BACKCHAT_SERVICE_DIALOG_TOOLS_SAFETY_REPORT_H_

#include <optional>
#include <string>

#include "backchat/dialog/v1/dialog.pb.h"
#include "service/dialog_tools/dialog_bundle.h"
#include "service/dialog_tools/dialog_diff.h"

namespace backchat::engine {

struct SafetyReportInputs {
  const DialogBundle* bundle = nullptr;
  // The approval of this version, if the approvals file has one.
  std::optional<dialog::v1::Approval> approval;
  // The dialog picture as SVG (dialog_graph.h through Graphviz), or empty
  // (the page then says how to get it).
  std::string svg;
  // The diff from the last approved version, if one was given; where that
  // version came from, for the page.
  const DialogDiff* diff_from_approved = nullptr;
  std::string approved_source;
};

// The page: no script, no external resource (styles inline), texts
// escaped. Explores the dialog's paths again to count the paths that
// reach each red flag.
std::string SafetyReportHtml(const SafetyReportInputs& inputs);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_DIALOG_TOOLS_SAFETY_REPORT_H_
