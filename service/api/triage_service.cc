#include "service/api/triage_service.h"

namespace backchat::api {

namespace tv1 = ::backchat::triage::v1;

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

grpc::ServerUnaryReactor* FinishWith(grpc::CallbackServerContext* context,
                                     const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

grpc::ServerUnaryReactor* TriageService::StartSession(
    grpc::CallbackServerContext* context,
    const tv1::StartSessionRequest* request,
    tv1::StartSessionResponse* response) {
  return FinishWith(context,
                conversations_->Start(*request, response->mutable_turn()));
}

grpc::ServerUnaryReactor* TriageService::SubmitAnswer(
    grpc::CallbackServerContext* context,
    const tv1::SubmitAnswerRequest* request,
    tv1::SubmitAnswerResponse* response) {
  return FinishWith(context,
                conversations_->Answer(*request, response->mutable_turn()));
}

grpc::ServerUnaryReactor* TriageService::GetSession(
    grpc::CallbackServerContext* context, const tv1::GetSessionRequest* request,
    tv1::GetSessionResponse* response) {
  return FinishWith(context, conversations_->Get(*request, response->mutable_turn()));
}

grpc::ServerUnaryReactor* TriageService::GoBack(
    grpc::CallbackServerContext* context, const tv1::GoBackRequest* request,
    tv1::GoBackResponse* response) {
  return FinishWith(context,
                conversations_->GoBack(*request, response->mutable_turn()));
}

grpc::ServerUnaryReactor* TriageService::RestartSession(
    grpc::CallbackServerContext* context,
    const tv1::RestartSessionRequest* request,
    tv1::RestartSessionResponse* response) {
  return FinishWith(context,
                conversations_->Restart(*request, response->mutable_turn()));
}

}  // namespace backchat::api
