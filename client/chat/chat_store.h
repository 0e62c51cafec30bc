// Which BackChat session each chat is in, kept in SQLite so that a bridge
// restart continues every conversation where it was.
#ifndef BACKCHAT_CLIENT_CHAT_CHAT_STORE_H_
#define BACKCHAT_CLIENT_CHAT_CHAT_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "service/common/sqlite/sqlite_database.h"

namespace backchat::chat {

// A chat's place in its conversation: what every channel shares. A
// platform's own state (Telegram's keyboard message and ticks) lives in a
// table of its own beside this one.
struct ChatState {
  std::string session_id;
  std::string locale;       // the session's language, e.g. "es"
  std::string question_id;  // the question the chat was last shown; "" after an outcome
  bool multiple_choice = false;
};

// Thread-safe. Chats are keyed by (channel, chat key); a chat key is a
// platform's chat id or a keyed hash of a phone number or user id (see
// user_key.h), never a phone number itself.
//
// State files written before platform state moved out of `chats` (it had
// keyboard_message_id and ticked columns) are migrated by Open: `chats` is
// rebuilt without them, and when any row held such state the old table is
// kept as `chats_v1` for the platform's store to take its part and drop it
// (client/bots/telegram/telegram_chats.h). One transaction: a file is
// either migrated or untouched.
class ChatStore {
 public:
  // Opens (creating or migrating if needed) the state file at `path`. One
  // bridge process per file. UNAVAILABLE with the path and SQLite's
  // message if it cannot.
  static absl::StatusOr<std::unique_ptr<ChatStore>> Open(const std::string& path);

  absl::StatusOr<std::optional<ChatState>> Find(const std::string& channel,
                                                const std::string& chat_key);
  absl::Status Save(const std::string& channel, const std::string& chat_key,
                    const ChatState& state);
  // Forgets the chat, its check-in (check_in_store.h), if any, and its rows
  // in the tables named by ForgetAlsoIn.
  absl::Status Forget(const std::string& channel, const std::string& chat_key);
  // A platform's table of per-chat state (with a `chat_key` column) whose
  // row goes when the chat is forgotten ("stop", a forget request).
  // `table` is a name from code, never from input.
  void ForgetAlsoIn(std::string table);

  // The file, for other state of the same bridge (Telegram's queues).
  store::SqliteDatabase& database() { return *database_; }

 private:
  explicit ChatStore(std::shared_ptr<store::SqliteDatabase> database)
      : database_(std::move(database)) {}
  std::shared_ptr<store::SqliteDatabase> database_;
  absl::Mutex tables_mu_;
  std::vector<std::string> platform_tables_ ABSL_GUARDED_BY(tables_mu_);
};

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_CHAT_STORE_H_
