// A blocking client for one triage conversation at a time.
#ifndef BACKCHAT_CLIENT_CLI_TRIAGE_CLIENT_H_
#define BACKCHAT_CLIENT_CLI_TRIAGE_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/common/triage_rpc.h"

namespace backchat::cli {

// One conversation: remembers its session and current question between
// calls. Not thread-safe. Every call has `timeout` as its deadline; errors
// carry the server's gRPC code and message.
class TriageClient {
 public:
  TriageClient(std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);

  absl::StatusOr<triage::v1::Turn> Start(const std::string& dialog_id,
                                         const std::string& locale);
  // Sends `text` as the answer to the current question (the server reads
  // numbers, labels and synonyms).
  absl::StatusOr<triage::v1::Turn> Answer(const std::string& text);
  absl::StatusOr<triage::v1::Turn> Back();
  absl::StatusOr<triage::v1::Turn> Restart();

  const std::string& session_id() const { return session_id_; }

 private:
  // Remembers the session and question of a successful call's turn.
  absl::StatusOr<triage::v1::Turn> Remember(absl::StatusOr<triage::v1::Turn> turn);

  client::TriageRpc rpc_;
  std::string session_id_;
  std::string question_id_;
};

}  // namespace backchat::cli

#endif  // BACKCHAT_CLIENT_CLI_TRIAGE_CLIENT_H_
