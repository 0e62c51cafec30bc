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

template <typename Op>
grpc::ServerUnaryReactor* TriageService::Admitted(grpc::CallbackServerContext* context,
                                                  bool starts_session, Op op) {
  absl::Duration retry_after;
  const absl::Status admitted =
      guards_->AdmitPatientCall(context->peer(), starts_session, &retry_after);
  if (!admitted.ok()) {
    // gRPC's own retry hint, and the seconds for people reading it.
    context->AddTrailingMetadata("grpc-retry-pushback-ms",
                                 std::to_string(absl::ToInt64Milliseconds(retry_after)));
    context->AddTrailingMetadata("retry-after",
                                 std::to_string(absl::ToInt64Seconds(retry_after)));
    return FinishWith(context, admitted);
  }
  return FinishWith(context, op());
}

grpc::ServerUnaryReactor* TriageService::StartSession(
    grpc::CallbackServerContext* context,
    const tv1::StartSessionRequest* request,
    tv1::StartSessionResponse* response) {
  return Admitted(context, true, [&] {
    return conversations_->Start(*request, response->mutable_turn());
  });
}

grpc::ServerUnaryReactor* TriageService::SubmitAnswer(
    grpc::CallbackServerContext* context,
    const tv1::SubmitAnswerRequest* request,
    tv1::SubmitAnswerResponse* response) {
  return Admitted(context, false, [&] {
    return conversations_->Answer(*request, response->mutable_turn());
  });
}

grpc::ServerUnaryReactor* TriageService::GetSession(
    grpc::CallbackServerContext* context, const tv1::GetSessionRequest* request,
    tv1::GetSessionResponse* response) {
  return Admitted(context, false, [&] {
    return conversations_->Get(*request, response->mutable_turn());
  });
}

grpc::ServerUnaryReactor* TriageService::GoBack(
    grpc::CallbackServerContext* context, const tv1::GoBackRequest* request,
    tv1::GoBackResponse* response) {
  return Admitted(context, false, [&] {
    return conversations_->GoBack(*request, response->mutable_turn());
  });
}

grpc::ServerUnaryReactor* TriageService::RestartSession(
    grpc::CallbackServerContext* context,
    const tv1::RestartSessionRequest* request,
    tv1::RestartSessionResponse* response) {
  return Admitted(context, false, [&] {
    return conversations_->Restart(*request, response->mutable_turn());
  });
}

}  // namespace backchat::api
