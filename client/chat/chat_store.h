// Which BackChat session each chat is in, kept in SQLite so that a bridge
// restart continues every conversation where it was.
#ifndef BACKCHAT_CLIENT_CHAT_CHAT_STORE_H_
#define BACKCHAT_CLIENT_CHAT_CHAT_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "service/store/sqlite_database.h"

namespace backchat::chat {

// A chat's place in its conversation.
struct ChatState {
  std::string session_id;
  std::string locale;       // the session's language, e.g. "es"
  std::string question_id;  // the question the chat was last shown; "" after an outcome
  bool multiple_choice = false;
  // Telegram: the message carrying the current question's buttons (a
  // button on any other message is stale), and the options ticked so far
  // on a multiple-choice question ("1 3").
  int64_t keyboard_message_id = 0;
  std::string ticked;
};

// Thread-safe. Chats are keyed by (channel, chat key); a chat key is a
// platform's chat id or a keyed hash of a phone number or user id (see
// user_key.h), never a phone number itself.
class ChatStore {
 public:
  // Opens (creating if needed) the state file at `path`. One bridge
  // process per file. UNAVAILABLE with the path and SQLite's message if it
  // cannot.
  static absl::StatusOr<std::unique_ptr<ChatStore>> Open(const std::string& path);

  absl::StatusOr<std::optional<ChatState>> Find(const std::string& channel,
                                                const std::string& chat_key);
  absl::Status Save(const std::string& channel, const std::string& chat_key,
                    const ChatState& state);
  // Forgets the chat and its check-in (check_in_store.h), if any.
  absl::Status Forget(const std::string& channel, const std::string& chat_key);

  // The file, for other state of the same bridge (Telegram's queues).
  store::SqliteDatabase& database() { return *database_; }

 private:
  explicit ChatStore(std::shared_ptr<store::SqliteDatabase> database)
      : database_(std::move(database)) {}
  std::shared_ptr<store::SqliteDatabase> database_;
};

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_CHAT_STORE_H_
