// Blocking calls of BackChat's TriageService, one per RPC, each returning
// the Turn: shared by the CLI and the chat bridges.
#ifndef BACKCHAT_CLIENT_COMMON_TRIAGE_RPC_H_
#define BACKCHAT_CLIENT_COMMON_TRIAGE_RPC_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/channel_arguments.h"

namespace backchat::client {

// Thread-safe. Every call has `timeout` as its deadline. Errors carry the
// server's gRPC code and message; UNAVAILABLE or DEADLINE_EXCEEDED mean the
// server was not reached or did not answer in time.
class TriageRpc {
 public:
  TriageRpc(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);

  absl::StatusOr<triage::v1::Turn> Start(const std::string& dialog_id,
                                         const std::string& locale,
                                         triage::v1::Channel channel) const;
  // `text`: the answer as typed (numbers, labels, synonyms, own words).
  // `question_id`: the question it answers, so that a stale answer is
  // refused (FAILED_PRECONDITION) instead of answering another question.
  absl::StatusOr<triage::v1::Turn> Answer(const std::string& session_id,
                                          const std::string& question_id,
                                          const std::string& text) const;
  // The reply to Turn.confirmation on `question_id`: accept the proposed
  // reading, or refuse it (the question is asked again).
  absl::StatusOr<triage::v1::Turn> Confirm(const std::string& session_id,
                                           const std::string& question_id, bool accept) const;
  absl::StatusOr<triage::v1::Turn> Back(const std::string& session_id) const;
  absl::StatusOr<triage::v1::Turn> Restart(const std::string& session_id) const;
  absl::StatusOr<triage::v1::Turn> Get(const std::string& session_id) const;

 private:
  template <typename Request, typename Response, typename Method>
  absl::StatusOr<triage::v1::Turn> Call(const Request& request, Method method) const;

  std::unique_ptr<triage::v1::TriageService::Stub> stub_;
  absl::Duration timeout_;
};

// A channel to BackChat at `address`: TLS verified against the PEM CA in
// `ca_file`, or plaintext when `ca_file` is empty (a server started with
// --plaintext, e.g. on loopback). INVALID_ARGUMENT if the file cannot be
// read. `arguments` are passed on (reconnect backoff and the like).
absl::StatusOr<std::shared_ptr<grpc::Channel>> ConnectToBackchat(
    const std::string& address, const std::string& ca_file,
    const grpc::ChannelArguments& arguments = grpc::ChannelArguments());

// True for the errors that mean "BackChat was not reached": try again later.
bool IsUnreachable(const absl::Status& status);

}  // namespace backchat::client

#endif  // BACKCHAT_CLIENT_COMMON_TRIAGE_RPC_H_
