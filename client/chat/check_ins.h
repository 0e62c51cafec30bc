// Safety netting: after a SELF_CARE or SEE_DOCTOR outcome the person is
// asked whether BackChat may check on them in N days; a clear yes
// schedules a check-in (check_in_store.h, sent by check_in_scheduler.h),
// anything else schedules nothing. The check-in's answer is kept with the
// outcome's triage record on the server (ids and the choice only); "worse"
// and "new symptoms" start a new check there and then (the dialog asks
// the red-flag questions first), "better" and "the same" get the signs to
// watch for.
//
// Every channel's messages go through CheckIns::HandleMessage, which
// passes whatever is not about a check-in on to ChatConversations.
#ifndef BACKCHAT_CLIENT_CHAT_CHECK_INS_H_
#define BACKCHAT_CLIENT_CHAT_CHECK_INS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "client/chat/chat_conversations.h"
#include "client/chat/check_in_store.h"
#include "grpcpp/channel.h"

namespace backchat::chat {

struct CheckInOptions {
  bool enabled = false;  // off: every message goes straight to the conversations
  int days = 3;          // what the offer says
  absl::Duration delay = absl::Hours(72);  // from the yes to the check-in
  // Seals the person's address into the state file (sealed_address.h);
  // empty when the chat key is the address (Telegram).
  std::string address_secret;
  absl::Duration rpc_timeout = absl::Seconds(5);
};

// The check-in's message, in `locale`: the question and the four choices,
// numbered from 1 (buttons carry the same numbers).
std::string CheckInMessage(absl::string_view locale);

// 1 better, 2 the same, 3 worse, 4 new symptoms: an option's number or its
// words in English or Spanish ("worse", "peor"); nullopt for anything else.
std::optional<int> ParseCheckInChoice(absl::string_view text);

// Thread-safe as ChatConversations is; does not own its collaborators.
class CheckIns {
 public:
  CheckIns(ChatConversations* conversations, CheckInStore* store,
           std::shared_ptr<grpc::Channel> backchat, CheckInOptions options);

  // A typed message from chat `chat_key`. `address`: how to reach the
  // person later (a phone number, a user id; "" on Telegram), sealed
  // before it is stored, and only when a check-in is offered. The rest and
  // the errors are as ChatConversations::HandleMessage's.
  absl::StatusOr<ChatReply> HandleMessage(
      const std::string& chat_key, const std::string& address, absl::string_view text,
      absl::string_view language_hint,
      const std::optional<std::string>& shown_question_id = std::nullopt);

  // The person's yes (`yes`) or no to the chat's check-in offer (a button;
  // typed replies come through HandleMessage). nullopt when the chat has
  // no offer waiting (answered already, or replaced): the button is stale.
  absl::StatusOr<std::optional<ChatReply>> AnswerOffer(const std::string& chat_key, bool yes);

  // The answer `choice` (1-4, see ParseCheckInChoice) to the chat's sent
  // check-in (a button). `stale_button` if the chat has none waiting.
  // UNAVAILABLE-like errors (client::IsUnreachable): nothing changed.
  absl::StatusOr<ChatReply> HandleAnswer(const std::string& chat_key, int choice);

  ChatConversations& conversations() { return *conversations_; }
  CheckInStore& store() { return *store_; }
  const CheckInOptions& options() const { return options_; }

 private:
  // After a finished conversation: offers a check-in when its level calls
  // for one, adding the question to `reply`.
  absl::Status MaybeOffer(const std::string& chat_key, const std::string& address,
                          ChatReply* reply);
  // Schedules the check-in of `offer` (yes) or forgets it (no).
  absl::StatusOr<ChatReply> ReplyToOffer(const PendingCheckIn& offer, bool yes);

  ChatConversations* conversations_;
  CheckInStore* store_;
  std::unique_ptr<triage::v1::TriageService::Stub> stub_;
  const CheckInOptions options_;
};

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_CHECK_INS_H_
