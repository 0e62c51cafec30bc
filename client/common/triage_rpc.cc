#include "client/common/triage_rpc.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace backchat::client {

namespace tv1 = ::backchat::triage::v1;

TriageRpc::TriageRpc(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout)
    : stub_(tv1::TriageService::NewStub(channel)), timeout_(timeout) {}

template <typename Request, typename Response, typename Method>
absl::StatusOr<tv1::Turn> TriageRpc::Call(const Request& request, Method method) const {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
  Response response;
  const grpc::Status status = (stub_.get()->*method)(&context, request, &response);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        status.error_message());
  }
  return std::move(*response.mutable_turn());
}

absl::StatusOr<tv1::Turn> TriageRpc::Start(const std::string& dialog_id,
                                           const std::string& locale,
                                           tv1::Channel channel) const {
  tv1::StartSessionRequest request;
  request.set_dialog_id(dialog_id);
  request.set_locale(locale);
  request.set_channel(channel);
  return Call<tv1::StartSessionRequest, tv1::StartSessionResponse>(
      request, &tv1::TriageService::Stub::StartSession);
}

absl::StatusOr<tv1::Turn> TriageRpc::Answer(const std::string& session_id,
                                            const std::string& question_id,
                                            const std::string& text) const {
  tv1::SubmitAnswerRequest request;
  request.set_session_id(session_id);
  request.set_question_id(question_id);
  request.set_text(text);
  return Call<tv1::SubmitAnswerRequest, tv1::SubmitAnswerResponse>(
      request, &tv1::TriageService::Stub::SubmitAnswer);
}

absl::StatusOr<tv1::Turn> TriageRpc::Confirm(const std::string& session_id,
                                             const std::string& question_id, bool accept) const {
  tv1::SubmitAnswerRequest request;
  request.set_session_id(session_id);
  request.set_question_id(question_id);
  request.set_confirmation(accept ? tv1::CONFIRMATION_REPLY_ACCEPT
                                  : tv1::CONFIRMATION_REPLY_REFUSE);
  return Call<tv1::SubmitAnswerRequest, tv1::SubmitAnswerResponse>(
      request, &tv1::TriageService::Stub::SubmitAnswer);
}

absl::StatusOr<tv1::Turn> TriageRpc::Back(const std::string& session_id) const {
  tv1::GoBackRequest request;
  request.set_session_id(session_id);
  return Call<tv1::GoBackRequest, tv1::GoBackResponse>(
      request, &tv1::TriageService::Stub::GoBack);
}

absl::StatusOr<tv1::Turn> TriageRpc::Restart(const std::string& session_id) const {
  tv1::RestartSessionRequest request;
  request.set_session_id(session_id);
  return Call<tv1::RestartSessionRequest, tv1::RestartSessionResponse>(
      request, &tv1::TriageService::Stub::RestartSession);
}

absl::StatusOr<tv1::Turn> TriageRpc::Get(const std::string& session_id) const {
  tv1::GetSessionRequest request;
  request.set_session_id(session_id);
  return Call<tv1::GetSessionRequest, tv1::GetSessionResponse>(
      request, &tv1::TriageService::Stub::GetSession);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> ConnectToBackchat(
    const std::string& address, const std::string& ca_file,
    const grpc::ChannelArguments& arguments) {
  if (ca_file.empty()) {
    return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), arguments);
  }
  std::ifstream in(ca_file);
  std::stringstream pem;
  pem << in.rdbuf();
  if (!in || pem.str().find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(ca_file, ": cannot read a PEM CA certificate from it"));
  }
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = pem.str();
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(options), arguments);
}

bool IsUnreachable(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status);
}

}  // namespace backchat::client
