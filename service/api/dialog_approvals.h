// Clinicians' sign-off of dialog versions. A dialog directory's
// approvals.txtpb (dialog.proto's Approvals) names, for each approved
// version, who approved it, in what role and when. With
// --require_approved_dialogs the server loads and reloads only versions
// listed there: an edit nobody signed off is refused, and the approved
// version keeps serving.
#ifndef BACKCHAT_SERVICE_API_DIALOG_APPROVALS_H_
#define BACKCHAT_SERVICE_API_DIALOG_APPROVALS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "backchat/dialog/v1/dialog.pb.h"
#include "service/dialog_tools/approvals_file.h"
#include "service/dialog_tools/dialog_registry.h"

namespace backchat::api {

// Thread-safe.
class DialogApprovals {
 public:
  // `directory`: the dialogs' (--dialogs). `required`: refuse versions
  // without an approval.
  DialogApprovals(std::string directory, bool required)
      : path_(directory + "/" + engine::kApprovalsFileName), required_(required) {}

  // A DialogRegistry::Requirement, run at every load and reload: reads the
  // file again (no file: no approvals; a bad file is an error either way)
  // and keeps it for Find(). When required, refuses a set with a version
  // the file does not approve, naming it and saying how to approve it.
  absl::Status Check(const engine::DialogSet& set);

  // The approval of a version in the file as last read.
  std::optional<dialog::v1::Approval> Find(absl::string_view dialog,
                                           absl::string_view version) const;

  bool required() const { return required_; }

 private:
  const std::string path_;
  const bool required_;
  mutable absl::Mutex mu_;
  dialog::v1::Approvals approvals_ ABSL_GUARDED_BY(mu_);
};

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_DIALOG_APPROVALS_H_
