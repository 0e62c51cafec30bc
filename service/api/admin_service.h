// The gRPC AdminService (callback API): dialog reload and listing.
#ifndef BACKCHAT_SERVICE_API_ADMIN_SERVICE_H_
#define BACKCHAT_SERVICE_API_ADMIN_SERVICE_H_

#include "backchat/admin/v1/admin.grpc.pb.h"
#include "service/api/admin_rpcs.h"
#include "service/api/dialog_approvals.h"
#include "service/api/server_guards.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/store/session_store.h"
#include "service/records/record_store.h"

namespace backchat::api {

class AdminService final : public admin::v1::AdminService::CallbackService {
 public:
  // Does not own its arguments; `records` may be null (no records), and
  // `approvals` (the dialogs' sign-offs, shown by ListDialogs) too.
  // `guards` holds the API keys every call is checked against.
  AdminService(engine::DialogRegistry* dialogs, records::RecordStore* records,
               store::SessionStore* sessions, const ServerGuards* guards,
               const DialogApprovals* approvals = nullptr)
      : dialogs_(dialogs),
        records_(records),
        sessions_(sessions),
        guards_(guards),
        approvals_(approvals) {}

  grpc::ServerUnaryReactor* ReloadDialogs(
      grpc::CallbackServerContext* context,
      const admin::v1::ReloadDialogsRequest* request,
      admin::v1::ReloadDialogsResponse* response) override;
  grpc::ServerUnaryReactor* ListDialogs(
      grpc::CallbackServerContext* context,
      const admin::v1::ListDialogsRequest* request,
      admin::v1::ListDialogsResponse* response) override;
  grpc::ServerUnaryReactor* ListRecords(
      grpc::CallbackServerContext* context,
      const admin::v1::ListRecordsRequest* request,
      admin::v1::ListRecordsResponse* response) override;
  grpc::ServerWriteReactor<admin::v1::ExportRecordsResponse>* ExportRecords(
      grpc::CallbackServerContext* context,
      const admin::v1::ExportRecordsRequest* request) override;
  grpc::ServerUnaryReactor* DeleteSession(
      grpc::CallbackServerContext* context,
      const admin::v1::DeleteSessionRequest* request,
      admin::v1::DeleteSessionResponse* response) override;
  grpc::ServerUnaryReactor* DeleteRecord(
      grpc::CallbackServerContext* context,
      const admin::v1::DeleteRecordRequest* request,
      admin::v1::DeleteRecordResponse* response) override;
  grpc::ServerUnaryReactor* GetReport(
      grpc::CallbackServerContext* context,
      const admin::v1::GetReportRequest* request,
      admin::v1::GetReportResponse* response) override;

  // What GetReport and the other calls of admin_rpcs.h work on (not owned;
  // null: they fail with FAILED_PRECONDITION). Call before serving.
  void set_admin_calls(const AdminCalls* calls) { calls_ = calls; }

 private:
  // OK if the call carries a key with `scope` (and, if required, a
  // verified client certificate).
  absl::Status Authorize(grpc::CallbackServerContext* context, absl::string_view scope) const;

  engine::DialogRegistry* dialogs_;
  records::RecordStore* records_;
  store::SessionStore* sessions_;
  const ServerGuards* guards_;
  const DialogApprovals* approvals_;
  const AdminCalls* calls_ = nullptr;
};

// Describes every dialog the registry serves now, with its sign-off from
// `approvals` (may be null).
void DescribeDialogs(const engine::DialogRegistry& dialogs, const DialogApprovals* approvals,
                     google::protobuf::RepeatedPtrField<admin::v1::DialogInfo>* out);

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_ADMIN_SERVICE_H_
