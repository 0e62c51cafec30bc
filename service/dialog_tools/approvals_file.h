// A dialog directory's approvals.txtpb (dialog.proto's Approvals): which
// versions of which dialogs a clinician signed off. Parsing only; the
// server's gate is service/api/dialog_approvals.h.
#ifndef BACKCHAT_SERVICE_DIALOG_TOOLS_APPROVALS_FILE_H_
#define BACKCHAT_SERVICE_DIALOG_TOOLS_APPROVALS_FILE_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "backchat/dialog/v1/dialog.pb.h"

namespace backchat::engine {

inline constexpr char kApprovalsFileName[] = "approvals.txtpb";

// Parses an approvals file: INVALID_ARGUMENT with "path:line:column: what"
// for every problem (a syntax error; an entry without dialog, a 16-digit
// hex version, approver, role, or a YYYY-MM-DD date; one version approved
// twice).
absl::StatusOr<dialog::v1::Approvals> ParseApprovals(absl::string_view text,
                                                     absl::string_view path);

// The approval of a version among `approvals`, if any.
std::optional<dialog::v1::Approval> FindApproval(const dialog::v1::Approvals& approvals,
                                                 absl::string_view dialog,
                                                 absl::string_view version);

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_DIALOG_TOOLS_APPROVALS_FILE_H_
