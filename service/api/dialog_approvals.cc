#include "service/api/dialog_approvals.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "service/engine/source_locator.h"

namespace backchat::api {
namespace {

namespace dv1 = ::backchat::dialog::v1;

constexpr size_t kMaxFileBytes = 1 << 20;

bool IsVersion(absl::string_view text) {
  if (text.size() != 16) return false;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c)) || absl::ascii_isupper(c)) return false;
  }
  return true;
}

bool IsDate(absl::string_view text) {
  absl::Time parsed;
  std::string error;
  return text.size() == 10 && absl::ParseTime("%Y-%m-%d", text, &parsed, &error);
}

}  // namespace

absl::StatusOr<dv1::Approvals> ParseApprovals(absl::string_view text, absl::string_view path) {
  if (text.size() > kMaxFileBytes) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": larger than 1 MiB"));
  }
  dv1::Approvals approvals;
  google::protobuf::TextFormat::ParseInfoTree tree;
  if (absl::Status parsed = engine::ParseTextFormat(text, path, &approvals, &tree); !parsed.ok()) {
    return parsed;
  }
  const engine::SourceLocator where(std::string(path), &tree, approvals.GetDescriptor());
  std::vector<std::string> problems;
  for (int i = 0; i < approvals.approvals_size(); ++i) {
    const dv1::Approval& approval = approvals.approvals(i);
    auto problem = [&](absl::string_view field, absl::string_view what) {
      problems.push_back(absl::StrCat(where.At({{"approvals", i}, {field}}), ": ", what));
    };
    if (approval.dialog().empty()) problem("dialog", "needs the dialog's id");
    if (!IsVersion(approval.version())) {
      problem("version", absl::StrCat("\"", approval.version().substr(0, 40),
                                      "\" is not a dialog version (16 lower-case hex digits, "
                                      "as `backchat dialog check` prints)"));
    }
    if (absl::StripAsciiWhitespace(approval.approver()).empty()) {
      problem("approver", "needs the name of the clinician who approved it");
    }
    if (absl::StripAsciiWhitespace(approval.role()).empty()) {
      problem("role", "needs the approver's role, e.g. \"Clinical safety officer\"");
    }
    if (!IsDate(approval.date())) problem("date", "needs the date approved, as YYYY-MM-DD");
    for (int j = 0; j < i; ++j) {
      if (approvals.approvals(j).dialog() == approval.dialog() &&
          approvals.approvals(j).version() == approval.version()) {
        problem("version", "this version is approved twice; keep one entry");
      }
    }
  }
  if (!problems.empty()) return absl::InvalidArgumentError(absl::StrJoin(problems, "\n"));
  return approvals;
}

absl::Status DialogApprovals::Check(const engine::DialogSet& set) {
  dv1::Approvals approvals;
  std::ifstream file(path_, std::ios::binary);
  if (file) {
    std::stringstream text;
    text << file.rdbuf();
    auto parsed = ParseApprovals(text.str(), path_);
    if (!parsed.ok()) return parsed.status();
    approvals = *std::move(parsed);
  }
  std::vector<std::string> unapproved;
  for (const auto& bundle : set.bundles) {
    bool approved = false;
    for (const dv1::Approval& approval : approvals.approvals()) {
      approved |= approval.dialog() == bundle->id() && approval.version() == bundle->version();
    }
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
      path_, "; review the change first with `backchat dialog check`)"));
}

std::optional<dv1::Approval> DialogApprovals::Find(absl::string_view dialog,
                                                   absl::string_view version) const {
  absl::MutexLock lock(&mu_);
  for (const dv1::Approval& approval : approvals_.approvals()) {
    if (approval.dialog() == dialog && approval.version() == version) return approval;
  }
  return std::nullopt;
}

}  // namespace backchat::api
