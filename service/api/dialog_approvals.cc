#include "service/api/dialog_approvals.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace backchat::api {
namespace {

namespace dv1 = ::backchat::dialog::v1;

}  // namespace

absl::Status DialogApprovals::Check(const engine::DialogSet& set) {
  dv1::Approvals approvals;
  std::ifstream file(path_, std::ios::binary);
  if (file) {
    std::stringstream text;
    text << file.rdbuf();
    auto parsed = engine::ParseApprovals(text.str(), path_);
    if (!parsed.ok()) return parsed.status();
    approvals = *std::move(parsed);
  }
  std::vector<std::string> unapproved;
  for (const auto& bundle : set.bundles) {
    const bool approved =
        engine::FindApproval(approvals, bundle->id(), bundle->version()).has_value();
    if (!approved) {
      unapproved.push_back(absl::StrCat("dialog \"", bundle->id(), "\" version ",
                                        bundle->version(), " has no approval in ", path_));
    }
  }
  {
    absl::MutexLock lock(&mu_);
    approvals_ = approvals;
  }
  if (!required_ || unapproved.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      absl::StrJoin(unapproved, "\n"),
      "\n(--require_approved_dialogs: a clinician approves a version by adding an entry "
      "with dialog, version, approver, role and date to ",
      path_, "; review the change first with `backchat dialog diff OLD NEW`)"));
}

std::optional<dv1::Approval> DialogApprovals::Find(absl::string_view dialog,
                                                   absl::string_view version) const {
  absl::MutexLock lock(&mu_);
  return engine::FindApproval(approvals_, dialog, version);
}

}  // namespace backchat::api
