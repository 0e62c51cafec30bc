#include "client/cli/triage_client.h"

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace backchat::cli {

namespace tv1 = ::backchat::triage::v1;

TriageClient::TriageClient(std::shared_ptr<grpc::Channel> channel,
                           absl::Duration timeout)
    : stub_(tv1::TriageService::NewStub(channel)), timeout_(timeout) {}

template <typename Request, typename Response, typename Method>
absl::StatusOr<tv1::Turn> TriageClient::Call(const Request& request,
                                             Method method) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  Response response;
  const grpc::Status status = (stub_.get()->*method)(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  session_id_ = response.turn().session_id();
  question_id_ =
      response.turn().has_question() ? response.turn().question().id() : "";
  return response.turn();
}

absl::StatusOr<tv1::Turn> TriageClient::Start(const std::string& dialog_id,
                                              const std::string& locale) {
  tv1::StartSessionRequest request;
  request.set_dialog_id(dialog_id);
  request.set_locale(locale);
  request.set_channel(tv1::CHANNEL_CLI);
  return Call<tv1::StartSessionRequest, tv1::StartSessionResponse>(
      request, &tv1::TriageService::Stub::StartSession);
}

absl::StatusOr<tv1::Turn> TriageClient::Answer(const std::string& text) {
  tv1::SubmitAnswerRequest request;
  request.set_session_id(session_id_);
  request.set_question_id(question_id_);
  request.set_text(text);
  return Call<tv1::SubmitAnswerRequest, tv1::SubmitAnswerResponse>(
      request, &tv1::TriageService::Stub::SubmitAnswer);
}

absl::StatusOr<tv1::Turn> TriageClient::Back() {
  tv1::GoBackRequest request;
  request.set_session_id(session_id_);
  return Call<tv1::GoBackRequest, tv1::GoBackResponse>(
      request, &tv1::TriageService::Stub::GoBack);
}

absl::StatusOr<tv1::Turn> TriageClient::Restart() {
  tv1::RestartSessionRequest request;
  request.set_session_id(session_id_);
  return Call<tv1::RestartSessionRequest, tv1::RestartSessionResponse>(
      request, &tv1::TriageService::Stub::RestartSession);
}

}  // namespace backchat::cli
