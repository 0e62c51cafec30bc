#include "service/dialog_tools/approvals_file.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "service/dialog_tools/source_locator.h"

namespace backchat::engine {
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
  if (absl::Status parsed = ParseTextFormat(text, path, &approvals, &tree); !parsed.ok()) {
    return parsed;
  }
  const SourceLocator where(std::string(path), &tree, approvals.GetDescriptor());
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

std::optional<dv1::Approval> FindApproval(const dv1::Approvals& approvals,
                                          absl::string_view dialog, absl::string_view version) {
  for (const dv1::Approval& approval : approvals.approvals()) {
    if (approval.dialog() == dialog && approval.version() == version) return approval;
  }
  return std::nullopt;
}

}  // namespace backchat::engine
