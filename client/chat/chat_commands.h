// The chat commands every channel understands, in each dialog language.
#ifndef BACKCHAT_CLIENT_CHAT_CHAT_COMMANDS_H_
#define BACKCHAT_CLIENT_CHAT_CHAT_COMMANDS_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace backchat::chat {

enum class CommandKind {
  kStart,    // begin a new check (a new session)
  kRestart,  // this check again from the first question
  kBack,     // undo the last answer
  kHelp,     // what the check is and the commands
  kWhy,      // why the current question is asked
  kStop,     // end the check and forget the chat's session
  kUnknown,  // "/something" that is none of the above
};

struct ChatCommand {
  CommandKind kind;
  // The language of the word used ("es" for "empezar"), so that a command
  // can start a check in that language; "" for kUnknown.
  std::string locale;
  // Typed with a slash ("/start"). Telegram sends "/start" by itself when
  // a person opens the bot, whatever their language.
  bool slash = false;
};

// A message is a command when it is one of the words, ignoring case,
// accents and punctuation ("Start", "atrás", "/start", "/start@ClinicBot",
// "/start payload"), in English (start restart back help stop why) or
// Spanish (empezar reiniciar atras ayuda parar "por que" porque). Any other message starting with
// '/' is kUnknown. Everything else is not a command: it is an answer.
std::optional<ChatCommand> ParseChatCommand(absl::string_view text);

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_CHAT_COMMANDS_H_
