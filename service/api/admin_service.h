// The gRPC AdminService (callback API): dialog reload and listing.
#ifndef BACKCHAT_SERVICE_API_ADMIN_SERVICE_H_
#define BACKCHAT_SERVICE_API_ADMIN_SERVICE_H_

#include "backchat/admin/v1/admin.grpc.pb.h"
#include "service/engine/dialog_registry.h"
#include "service/records/record_store.h"

namespace backchat::api {

class AdminService final : public admin::v1::AdminService::CallbackService {
 public:
  // Does not own `dialogs` or `records` (which may be null: no records).
  AdminService(engine::DialogRegistry* dialogs, records::RecordStore* records)
      : dialogs_(dialogs), records_(records) {}

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

 private:
  engine::DialogRegistry* dialogs_;
  records::RecordStore* records_;
};

// Describes every dialog the registry serves now.
void DescribeDialogs(const engine::DialogRegistry& dialogs,
                     google::protobuf::RepeatedPtrField<admin::v1::DialogInfo>* out);

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_ADMIN_SERVICE_H_
