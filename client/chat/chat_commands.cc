#include "client/chat/chat_commands.h"

#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"
#include "service/common/text_normalizer.h"

namespace backchat::chat {
namespace {

struct CommandWord {
  const char* word;  // as NormalizeForMatching leaves it
  CommandKind kind;
  const char* locale;
};

constexpr CommandWord kWords[] = {
    {"start", CommandKind::kStart, "en"},      {"restart", CommandKind::kRestart, "en"},
    {"back", CommandKind::kBack, "en"},        {"help", CommandKind::kHelp, "en"},
    {"stop", CommandKind::kStop, "en"},        {"empezar", CommandKind::kStart, "es"},
    {"reiniciar", CommandKind::kRestart, "es"}, {"atras", CommandKind::kBack, "es"},
    {"ayuda", CommandKind::kHelp, "es"},       {"parar", CommandKind::kStop, "es"},
    {"why", CommandKind::kWhy, "en"},          {"por que", CommandKind::kWhy, "es"},
    {"porque", CommandKind::kWhy, "es"},
};

std::optional<ChatCommand> Lookup(absl::string_view word) {
  const std::string normalized = engine::NormalizeForMatching(word);
  for (const CommandWord& entry : kWords) {
    if (normalized == entry.word) return ChatCommand{entry.kind, entry.locale, false};
  }
  return std::nullopt;
}

}  // namespace

std::optional<ChatCommand> ParseChatCommand(absl::string_view text) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  if (absl::ConsumePrefix(&trimmed, "/")) {
    // Telegram: "/start@ClinicBot payload"; only the command word counts.
    absl::string_view word = trimmed.substr(0, trimmed.find_first_of(" @\n\t"));
    std::optional<ChatCommand> command = Lookup(word);
    if (!command.has_value() || word.empty()) {
      return ChatCommand{CommandKind::kUnknown, "", true};
    }
    command->slash = true;
    return command;
  }
  // A plain word: the whole message must be it.
  if (trimmed.size() > 16) return std::nullopt;
  return Lookup(trimmed);
}

}  // namespace backchat::chat
