// The gRPC TriageService, on the callback API. Each handler converts the
// request to a Conversations call and its absl::Status to a grpc::Status
// (the codes are the same), and finishes at once: nothing blocks except a
// store operation.
#ifndef BACKCHAT_SERVICE_API_TRIAGE_SERVICE_H_
#define BACKCHAT_SERVICE_API_TRIAGE_SERVICE_H_

#include "backchat/triage/v1/triage.grpc.pb.h"
#include "service/api/conversations.h"
#include "service/api/server_guards.h"

namespace backchat::api {

class TriageService final
    : public triage::v1::TriageService::CallbackService {
 public:
  // Does not own its arguments. Every call is first admitted by
  // `guards` (per-client limits).
  TriageService(Conversations* conversations, const ServerGuards* guards)
      : conversations_(conversations), guards_(guards) {}

  grpc::ServerUnaryReactor* StartSession(
      grpc::CallbackServerContext* context,
      const triage::v1::StartSessionRequest* request,
      triage::v1::StartSessionResponse* response) override;
  grpc::ServerUnaryReactor* SubmitAnswer(
      grpc::CallbackServerContext* context,
      const triage::v1::SubmitAnswerRequest* request,
      triage::v1::SubmitAnswerResponse* response) override;
  grpc::ServerUnaryReactor* GetSession(
      grpc::CallbackServerContext* context,
      const triage::v1::GetSessionRequest* request,
      triage::v1::GetSessionResponse* response) override;
  grpc::ServerUnaryReactor* GoBack(
      grpc::CallbackServerContext* context,
      const triage::v1::GoBackRequest* request,
      triage::v1::GoBackResponse* response) override;
  grpc::ServerUnaryReactor* RestartSession(
      grpc::CallbackServerContext* context,
      const triage::v1::RestartSessionRequest* request,
      triage::v1::RestartSessionResponse* response) override;

 private:
  // Runs `op` if the client is within its limits; otherwise finishes with
  // RESOURCE_EXHAUSTED and gRPC's retry pushback.
  template <typename Op>
  grpc::ServerUnaryReactor* Admitted(grpc::CallbackServerContext* context,
                                     bool starts_session, Op op);

  Conversations* conversations_;
  const ServerGuards* guards_;
};

// absl and gRPC share the canonical code numbers.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Finishes a unary callback call with `status`; what every handler returns.
grpc::ServerUnaryReactor* FinishWith(grpc::CallbackServerContext* context,
                                     const absl::Status& status);

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_TRIAGE_SERVICE_H_
