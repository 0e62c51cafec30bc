// The gRPC AdminService (callback API): dialog reload and listing.
#ifndef BACKCHAT_SERVICE_API_ADMIN_SERVICE_H_
#define BACKCHAT_SERVICE_API_ADMIN_SERVICE_H_

#include "backchat/admin/v1/admin.grpc.pb.h"
#include "service/engine/dialog_registry.h"

namespace backchat::api {

class AdminService final : public admin::v1::AdminService::CallbackService {
 public:
  // Does not own `dialogs`.
  explicit AdminService(engine::DialogRegistry* dialogs) : dialogs_(dialogs) {}

  grpc::ServerUnaryReactor* ReloadDialogs(
      grpc::CallbackServerContext* context,
      const admin::v1::ReloadDialogsRequest* request,
      admin::v1::ReloadDialogsResponse* response) override;
  grpc::ServerUnaryReactor* ListDialogs(
      grpc::CallbackServerContext* context,
      const admin::v1::ListDialogsRequest* request,
      admin::v1::ListDialogsResponse* response) override;

 private:
  engine::DialogRegistry* dialogs_;
};

// Describes every dialog the registry serves now.
void DescribeDialogs(const engine::DialogRegistry& dialogs,
                     google::protobuf::RepeatedPtrField<admin::v1::DialogInfo>* out);

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_ADMIN_SERVICE_H_
