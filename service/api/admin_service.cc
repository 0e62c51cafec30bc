#include "service/api/admin_service.h"

#include "service/api/triage_service.h"

namespace backchat::api {

namespace av1 = ::backchat::admin::v1;

void DescribeDialogs(const engine::DialogRegistry& dialogs,
                     google::protobuf::RepeatedPtrField<av1::DialogInfo>* out) {
  for (const auto& bundle : dialogs.All()) {
    av1::DialogInfo* info = out->Add();
    info->set_id(bundle->id());
    info->set_version(bundle->version());
    for (const auto& language : bundle->Languages()) {
      info->add_locales(language->locale);
    }
    info->set_question_count(static_cast<int>(bundle->base().questions.size()));
    info->set_red_flag_count(static_cast<int>(bundle->base().red_flags.size()));
    info->set_check_summary(bundle->check_report().Summary());
  }
}

grpc::ServerUnaryReactor* AdminService::ReloadDialogs(
    grpc::CallbackServerContext* context, const av1::ReloadDialogsRequest*,
    av1::ReloadDialogsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Status status = dialogs_->Reload();
  if (status.ok()) DescribeDialogs(*dialogs_, response->mutable_dialogs());
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* AdminService::ListDialogs(
    grpc::CallbackServerContext* context, const av1::ListDialogsRequest*,
    av1::ListDialogsResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  DescribeDialogs(*dialogs_, response->mutable_dialogs());
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace backchat::api
