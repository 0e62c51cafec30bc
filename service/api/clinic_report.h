// The clinic's dashboard report (admin.proto's GetReport), built from the
// counts DashboardCounts keeps: the same for gRPC and the web gateway.
#ifndef BACKCHAT_SERVICE_API_CLINIC_REPORT_H_
#define BACKCHAT_SERVICE_API_CLINIC_REPORT_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "backchat/admin/v1/admin.pb.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/records/outcome_counts.h"

namespace backchat::api {

struct ReportSource {
  records::OutcomeCounts* counts = nullptr;  // not owned; null: no report
  // A conversation of a day that ended longer ago than this, and not
  // finished, is abandoned (--session_idle_timeout).
  absl::Duration idle_timeout = absl::Minutes(30);
  // The dialogs served (not owned; may be null): the report lists questions
  // in the order of the dialog asked for (else the default dialog).
  const engine::DialogRegistry* dialogs = nullptr;
};

// Fills `response` for `request` as of `now`. Questions come in the
// dialog's order, then any it no longer has, most reached first. INVALID_ARGUMENT naming the
// field for a day that is not YYYY-MM-DD, a period that ends before it
// starts or is over 400 days; FAILED_PRECONDITION without counts; the
// store's UNAVAILABLE.
absl::Status BuildReport(const ReportSource& source, const admin::v1::GetReportRequest& request,
                         absl::Time now, admin::v1::GetReportResponse* response);

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_CLINIC_REPORT_H_
