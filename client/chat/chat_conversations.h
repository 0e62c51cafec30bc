// The conversation logic every chat channel shares: a chat's messages in,
// the text to send back out. Commands, the chat-to-session mapping, stale
// and repeated answers, expired sessions. Platforms differ only in how
// messages arrive and leave (see client/bots/).
#ifndef BACKCHAT_CLIENT_CHAT_CHAT_CONVERSATIONS_H_
#define BACKCHAT_CLIENT_CHAT_CHAT_CONVERSATIONS_H_

#include <optional>
#include <string>
#include <variant>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "backchat/triage/v1/types.pb.h"
#include "client/chat/chat_store.h"
#include "client/common/triage_rpc.h"

namespace backchat::chat {

struct ChatOptions {
  triage::v1::Channel channel = triage::v1::CHANNEL_UNSPECIFIED;
  std::string dialog_id;       // "" for the server's default dialog
  std::string default_locale;  // when neither a command nor the platform says
  // The channel shows options as buttons too (changes the hint only).
  bool buttons = false;
  // Longer messages are refused without calling BackChat.
  size_t max_message_bytes = 1000;
};

// What to send back to the chat.
struct ChatReply {
  std::string text;  // whole; split it to the platform's limit
  // The turn shown, when the reply shows one (a question's options become
  // buttons on platforms that have them).
  std::optional<triage::v1::Turn> turn;
  // When a check-in was offered (check_ins.h): the offer, which is also the
  // last paragraph of `text`, so a platform with buttons can send it as a
  // message of its own with Yes and No (CheckIns::AnswerOffer).
  std::string check_in_offer = {};
};

// Thread-safe; the messages of one chat are handled one at a time.
class ChatConversations {
 public:
  ChatConversations(const client::TriageRpc* rpc, ChatStore* store, ChatOptions options);

  // A message typed in chat `chat_key`: a command (chat_commands.h) or an
  // answer to the question the chat was last shown. `language_hint`: the
  // platform's idea of the person's language ("" if none), used when a
  // check starts. `shown_question_id`, for bridges that queue messages:
  // the chat's question when the message arrived; if the
  // chat has moved on since, the message is not taken as an answer to the
  // new question, and the current turn is shown instead. Errors: when
  // BackChat was not reached (client::IsUnreachable), nothing changed:
  // tell the person `TryAgainText` and keep the message to handle later.
  // Other errors are the state file's.
  absl::StatusOr<ChatReply> HandleMessage(
      const std::string& chat_key, absl::string_view text, absl::string_view language_hint,
      const std::optional<std::string>& shown_question_id = std::nullopt);

  // An answer by option numbers ("2", "1 3") to `question_id` (a button
  // press). A question other than the chat's current one gets
  // `stale_button` and no turn.
  absl::StatusOr<ChatReply> HandleChoice(const std::string& chat_key,
                                         const std::string& question_id,
                                         const std::string& numbers);

  // A press of the Yes or No button of a proposed reading
  // (Turn.confirmation) of `question_id`; a question other than the
  // chat's current one gets `stale_button` and no turn.
  absl::StatusOr<ChatReply> HandleConfirmation(const std::string& chat_key,
                                               const std::string& question_id, bool accept);

  // A session started elsewhere (a check-in's new check, check_ins.h)
  // becomes the chat's; its first turn is shown.
  absl::StatusOr<ChatReply> ShowStarted(const std::string& chat_key, triage::v1::Turn turn);
  // Starts a new check in `locale`, as "start" does.
  absl::StatusOr<ChatReply> StartNewCheck(const std::string& chat_key, const std::string& locale);

  // The chat's current turn, fetched again (nullopt if it has no session).
  absl::StatusOr<std::optional<triage::v1::Turn>> CurrentTurn(const std::string& chat_key);

  // The "try again in a moment" text in the chat's language.
  std::string TryAgainText(const std::string& chat_key, absl::string_view language_hint);

  // The language the chat's texts are in: its session's, else the hint's,
  // else the default.
  std::string LocaleOf(const std::optional<ChatState>& state,
                       absl::string_view language_hint) const;

  ChatStore& store() { return *store_; }
  const ChatOptions& options() const { return options_; }
  const std::string& channel_name() const { return channel_name_; }

 private:
  absl::Mutex& LockFor(const std::string& chat_key);
  absl::StatusOr<ChatReply> Handle(const std::string& chat_key, absl::string_view text,
                                   absl::string_view language_hint,
                                   const std::optional<std::string>& shown_question_id);
  // Starts a session in `locale` and shows its first question; `notice`
  // (if any) goes before it.
  absl::StatusOr<ChatReply> StartCheck(const std::string& chat_key,
                                       const std::string& locale,
                                       absl::string_view notice);
  // Saves where the chat is and renders `turn`; NOT_FOUND starts anew.
  absl::StatusOr<ChatReply> Show(const std::string& chat_key,
                                 absl::StatusOr<triage::v1::Turn> turn,
                                 const ChatState& state);
  absl::StatusOr<ChatReply> Answer(const std::string& chat_key, const ChatState& state,
                                   const std::string& text);
  // The chat's state if `question_id` is its current question; else the
  // reply to send instead (no conversation, or a stale button).
  absl::StatusOr<std::variant<ChatState, ChatReply>> StateForButton(const std::string& chat_key,
                                                                    const std::string& question_id);
  // Shows the turn `answered` returned; a FAILED_PRECONDITION (the answer
  // was for a question no longer current) shows where the session is.
  absl::StatusOr<ChatReply> ShowAnswered(const std::string& chat_key,
                                         absl::StatusOr<triage::v1::Turn> answered,
                                         const ChatState& state);

  const client::TriageRpc* rpc_;
  ChatStore* store_;
  const ChatOptions options_;
  const std::string channel_name_;
  absl::Mutex chat_locks_[64];
};

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_CHAT_CONVERSATIONS_H_
