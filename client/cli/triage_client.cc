#include "client/cli/triage_client.h"

namespace backchat::cli {

namespace tv1 = ::backchat::triage::v1;

TriageClient::TriageClient(std::shared_ptr<grpc::Channel> channel,
                           absl::Duration timeout)
    : rpc_(std::move(channel), timeout) {}

absl::StatusOr<tv1::Turn> TriageClient::Remember(absl::StatusOr<tv1::Turn> turn) {
  if (turn.ok()) {
    session_id_ = turn->session_id();
    question_id_ = turn->has_question() ? turn->question().id() : "";
  }
  return turn;
}

absl::StatusOr<tv1::Turn> TriageClient::Start(const std::string& dialog_id,
                                              const std::string& locale) {
  return Remember(rpc_.Start(dialog_id, locale, tv1::CHANNEL_CLI));
}

absl::StatusOr<tv1::Turn> TriageClient::Answer(const std::string& text) {
  return Remember(rpc_.Answer(session_id_, question_id_, text));
}

absl::StatusOr<tv1::Turn> TriageClient::Back() {
  return Remember(rpc_.Back(session_id_));
}

absl::StatusOr<tv1::Turn> TriageClient::Restart() {
  return Remember(rpc_.Restart(session_id_));
}

}  // namespace backchat::cli
