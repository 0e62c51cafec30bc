// Conversations through a chat bridge, checked against an oracle: a second
// session on the same BackChat server, over gRPC, that takes the same
// answers. Every bridge reply must be the oracle's turn, rendered.
#ifndef BACKCHAT_TESTS_BOTS_CHAT_ORACLE_H_
#define BACKCHAT_TESTS_BOTS_CHAT_ORACLE_H_

#include <memory>
#include <string>
#include <vector>

#include "backchat/triage/v1/triage.grpc.pb.h"
#include "grpcpp/channel.h"
#include "tests/support/dialog_paths.h"

namespace backchat::testing {

// Answers that reach each level in the bundled back-pain dialog.
struct LevelPath {
  triage::v1::Level level;
  Answers answers;
};
const std::vector<LevelPath>& PathsToEachLevel();

// The lines an outcome of `level` shows for its actions in `locale` ("en"
// or "es"), with tests/support/care_contacts.h's care contacts, in order.
std::vector<std::string> ActionLines(const std::string& locale, triage::v1::Level level);

class ChatOracle {
 public:
  ChatOracle(const std::shared_ptr<grpc::Channel>& channel, std::string locale);

  // Start and Answer fail the test (fatally) if the call fails.
  const triage::v1::Turn& Start();
  // The numbers `answers` gives the current question, e.g. {1, 3}.
  std::vector<int> Numbers(const Answers& answers) const;
  // "1 3"
  std::string NumbersText(const Answers& answers) const;
  // Answers by option numbers typed as text ("1 3"), as chats do.
  const triage::v1::Turn& Answer(const Answers& answers);

  const triage::v1::Turn& turn() const { return turn_; }
  // The messages a chat should show for the current turn.
  std::vector<std::string> Expected(bool buttons, size_t max_length) const;

 private:
  std::unique_ptr<triage::v1::TriageService::Stub> stub_;
  std::string locale_;
  triage::v1::Turn turn_;
};

}  // namespace backchat::testing

#endif  // BACKCHAT_TESTS_BOTS_CHAT_ORACLE_H_
