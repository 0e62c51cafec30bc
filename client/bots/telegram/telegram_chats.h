// Telegram's own per-chat state, in its table beside the shared `chats`
// (chat_store.h): the message carrying the current question's buttons (a
// button on any other message is stale) and the options ticked so far on a
// multiple-choice question, for the session and question they belong to;
// and that question and the chat's language, so that the bridge reads this
// one row, not the shared one, to receive and to handle an update.
//
// The row is written by the bridge's single worker only (see
// telegram_bridge.h); intake reads it. It goes with the chat when the chat
// is forgotten (ChatStore::ForgetAlsoIn).
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_CHATS_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_CHATS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "client/chat/chat_store.h"

namespace backchat::telegram {

struct TelegramChat {
  std::string chat_key;     // Telegram's chat id, in decimal
  std::string session_id;   // the session the question belongs to
  std::string question_id;  // the question the chat was last shown; "" after an outcome
  std::string locale;       // the session's language
  int64_t keyboard_message_id = 0;  // 0: no message has the question's buttons
  std::string ticked;               // "1 3"
};

// Thread-safe (the database's mutex). Errors are UNAVAILABLE with SQLite's
// message.
class TelegramChats {
 public:
  // The `telegram_chats` table of `chats`' file, created if missing. An
  // older file's Telegram state, left by ChatStore::Open as `chats_v1`, is
  // moved here (in one transaction) and that table dropped. `chats` must
  // outlive this.
  static absl::StatusOr<std::unique_ptr<TelegramChats>> Open(chat::ChatStore* chats);

  absl::StatusOr<std::optional<TelegramChat>> Find(const std::string& chat_key);
  absl::Status Save(const TelegramChat& chat);
  // Makes `message_id` the chat's keyboard message if the chat is still on
  // `question_id` (a newer question's buttons are not overwritten).
  absl::Status SetKeyboard(const std::string& chat_key, const std::string& question_id,
                           int64_t message_id);

 private:
  explicit TelegramChats(store::SqliteDatabase* database) : database_(database) {}
  store::SqliteDatabase* database_;
};

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_CHATS_H_
