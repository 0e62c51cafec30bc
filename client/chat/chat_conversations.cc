#include "client/chat/chat_conversations.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "client/chat/chat_commands.h"
#include "client/chat/chat_strings.h"
#include "client/chat/message_splitter.h"
#include "client/chat/turn_text.h"

namespace backchat::chat {

namespace tv1 = ::backchat::triage::v1;

ChatConversations::ChatConversations(const client::TriageRpc* rpc, ChatStore* store,
                                     ChatOptions options)
    : rpc_(rpc),
      store_(store),
      options_(std::move(options)),
      channel_name_(tv1::Channel_Name(options_.channel)) {}

absl::Mutex& ChatConversations::LockFor(const std::string& chat_key) {
  return chat_locks_[std::hash<std::string>()(chat_key) % std::size(chat_locks_)];
}

std::string ChatConversations::LocaleOf(const std::optional<ChatState>& state,
                                        absl::string_view language_hint) const {
  if (state.has_value() && !state->locale.empty()) return state->locale;
  if (!language_hint.empty()) return std::string(language_hint);
  return options_.default_locale;
}

std::string ChatConversations::TryAgainText(const std::string& chat_key,
                                            absl::string_view language_hint) {
  absl::StatusOr<std::optional<ChatState>> state = store_->Find(channel_name_, chat_key);
  return StringsFor(LocaleOf(state.ok() ? *state : std::nullopt, language_hint)).try_again;
}

absl::StatusOr<ChatReply> ChatConversations::StartCheck(const std::string& chat_key,
                                                        const std::string& locale,
                                                        absl::string_view notice) {
  absl::StatusOr<tv1::Turn> turn = rpc_->Start(options_.dialog_id, locale, options_.channel);
  if (!turn.ok()) return turn.status();
  if (!notice.empty()) {
    turn->set_notice(turn->notice().empty() ? std::string(notice)
                                            : absl::StrCat(notice, "\n", turn->notice()));
  }
  return Show(chat_key, *std::move(turn), ChatState{});
}

absl::StatusOr<ChatReply> ChatConversations::Show(const std::string& chat_key,
                                                  absl::StatusOr<tv1::Turn> turn,
                                                  const ChatState& state) {
  if (absl::IsNotFound(turn.status())) {
    // The session expired on the server (or the server lost it).
    return StartCheck(chat_key, state.locale, StringsFor(state.locale).expired);
  }
  if (!turn.ok()) return turn.status();
  ChatState next;
  next.session_id = turn->session_id();
  next.locale = turn->locale();
  if (turn->has_question()) {
    next.question_id = turn->question().id();
    next.multiple_choice =
        turn->question().kind() == tv1::QUESTION_KIND_MULTIPLE_CHOICE;
  }
  const absl::Status saved = store_->Save(channel_name_, chat_key, next);
  if (!saved.ok()) return saved;
  ChatReply reply;
  reply.text = TurnText(*turn, options_.buttons);
  reply.turn = *std::move(turn);
  return reply;
}

absl::StatusOr<ChatReply> ChatConversations::Answer(const std::string& chat_key,
                                                    const ChatState& state,
                                                    const std::string& text) {
  return ShowAnswered(chat_key, rpc_->Answer(state.session_id, state.question_id, text), state);
}

absl::StatusOr<ChatReply> ChatConversations::ShowAnswered(const std::string& chat_key,
                                                          absl::StatusOr<tv1::Turn> answered,
                                                          const ChatState& state) {
  if (absl::IsFailedPrecondition(answered.status())) {
    // The answer was for a question that is no longer current (sent twice,
    // or the session moved on elsewhere): show where the session is.
    answered = rpc_->Get(state.session_id);
  }
  return Show(chat_key, std::move(answered), state);
}

absl::StatusOr<ChatReply> ChatConversations::HandleMessage(
    const std::string& chat_key, absl::string_view text, absl::string_view language_hint,
    const std::optional<std::string>& shown_question_id) {
  absl::MutexLock lock(&LockFor(chat_key));
  return Handle(chat_key, text, language_hint, shown_question_id);
}

absl::StatusOr<ChatReply> ChatConversations::Handle(
    const std::string& chat_key, absl::string_view text, absl::string_view language_hint,
    const std::optional<std::string>& shown_question_id) {
  absl::StatusOr<std::optional<ChatState>> found = store_->Find(channel_name_, chat_key);
  if (!found.ok()) return found.status();
  const std::optional<ChatState>& state = *found;
  if (text.size() > options_.max_message_bytes) {
    return ChatReply{StringsFor(LocaleOf(state, language_hint)).too_long, {}};
  }
  if (!IsValidUtf8(text)) return ChatReply{StringsFor(LocaleOf(state, language_hint)).text_only, {}};

  const std::optional<ChatCommand> command = ParseChatCommand(text);
  // A command word answers in its own language ("ayuda" in Spanish).
  const ChatStrings& strings =
      StringsFor(command.has_value() && !command->slash && !command->locale.empty()
                     ? command->locale
                     : LocaleOf(state, language_hint));
  if (!command.has_value()) {
    if (!state.has_value()) return StartCheck(chat_key, LocaleOf(state, language_hint), "");
    if (state->question_id.empty()) return ChatReply{strings.after_outcome, {}};
    if (shown_question_id.has_value() && *shown_question_id != state->question_id) {
      // Typed before the chat saw its current question: not an answer to it.
      return Show(chat_key, rpc_->Get(state->session_id), *state);
    }
    return Answer(chat_key, *state, std::string(text));
  }
  switch (command->kind) {
    case CommandKind::kStart: {
      // "/start" is sent by Telegram itself: the platform's language
      // decides. A word decides by its own language.
      const std::string locale =
          command->slash ? LocaleOf(std::nullopt, language_hint) : command->locale;
      return StartCheck(chat_key, locale, "");
    }
    case CommandKind::kRestart:
      if (!state.has_value()) return StartCheck(chat_key, LocaleOf(state, language_hint), "");
      return Show(chat_key, rpc_->Restart(state->session_id), *state);
    case CommandKind::kBack: {
      if (!state.has_value()) return ChatReply{strings.no_conversation, {}};
      absl::StatusOr<tv1::Turn> turn = rpc_->Back(state->session_id);
      // Nothing to go back to: the first question again.
      if (absl::IsFailedPrecondition(turn.status())) turn = rpc_->Get(state->session_id);
      return Show(chat_key, std::move(turn), *state);
    }
    case CommandKind::kHelp: {
      if (!state.has_value()) return ChatReply{strings.help, {}};
      absl::StatusOr<ChatReply> current = Show(chat_key, rpc_->Get(state->session_id), *state);
      if (!current.ok()) return ChatReply{strings.help, {}};
      current->text = absl::StrCat(strings.help, "\n\n", current->text);
      return current;
    }
    case CommandKind::kWhy: {
      if (!state.has_value()) return ChatReply{strings.no_conversation, {}};
      if (state->question_id.empty()) return ChatReply{strings.after_outcome, {}};
      absl::StatusOr<tv1::Turn> turn = rpc_->Get(state->session_id);
      const std::string why = turn.ok() && turn->has_question() ? turn->question().why() : "";
      absl::StatusOr<ChatReply> current = Show(chat_key, std::move(turn), *state);
      if (!current.ok()) return current;
      // The reason, then the question again with its options.
      current->text = absl::StrCat(why.empty() ? strings.no_why : why, "\n\n", current->text);
      return current;
    }
    case CommandKind::kStop: {
      if (!state.has_value()) return ChatReply{strings.nothing_to_stop, {}};
      const absl::Status forgotten = store_->Forget(channel_name_, chat_key);
      if (!forgotten.ok()) return forgotten;
      return ChatReply{strings.stopped, {}};
    }
    case CommandKind::kUnknown:
      return ChatReply{absl::StrCat(strings.unknown_command, "\n\n", strings.help), {}};
  }
  return ChatReply{strings.help, {}};
}

absl::StatusOr<ChatReply> ChatConversations::HandleChoice(const std::string& chat_key,
                                                          const std::string& question_id,
                                                          const std::string& numbers) {
  absl::MutexLock lock(&LockFor(chat_key));
  absl::StatusOr<std::variant<ChatState, ChatReply>> state = StateForButton(chat_key, question_id);
  if (!state.ok()) return state.status();
  if (auto* reply = std::get_if<ChatReply>(&*state)) return std::move(*reply);
  return Answer(chat_key, std::get<ChatState>(*state), numbers);
}

absl::StatusOr<ChatReply> ChatConversations::HandleConfirmation(const std::string& chat_key,
                                                                const std::string& question_id,
                                                                bool accept) {
  absl::MutexLock lock(&LockFor(chat_key));
  absl::StatusOr<std::variant<ChatState, ChatReply>> state = StateForButton(chat_key, question_id);
  if (!state.ok()) return state.status();
  if (auto* reply = std::get_if<ChatReply>(&*state)) return std::move(*reply);
  const ChatState& chat = std::get<ChatState>(*state);
  return ShowAnswered(chat_key, rpc_->Confirm(chat.session_id, question_id, accept), chat);
}

absl::StatusOr<std::variant<ChatState, ChatReply>> ChatConversations::StateForButton(
    const std::string& chat_key, const std::string& question_id) {
  absl::StatusOr<std::optional<ChatState>> state = store_->Find(channel_name_, chat_key);
  if (!state.ok()) return state.status();
  if (!state->has_value()) {
    return ChatReply{StringsFor(options_.default_locale).no_conversation, {}};
  }
  if ((*state)->question_id.empty() || (*state)->question_id != question_id) {
    return ChatReply{StringsFor((*state)->locale).stale_button, {}};
  }
  return **state;
}

absl::StatusOr<ChatReply> ChatConversations::ShowStarted(const std::string& chat_key,
                                                         tv1::Turn turn) {
  absl::MutexLock lock(&LockFor(chat_key));
  return Show(chat_key, std::move(turn), ChatState{});
}

absl::StatusOr<ChatReply> ChatConversations::StartNewCheck(const std::string& chat_key,
                                                           const std::string& locale) {
  absl::MutexLock lock(&LockFor(chat_key));
  return StartCheck(chat_key, locale, "");
}

absl::StatusOr<std::optional<tv1::Turn>> ChatConversations::CurrentTurn(
    const std::string& chat_key) {
  absl::StatusOr<std::optional<ChatState>> state = store_->Find(channel_name_, chat_key);
  if (!state.ok()) return state.status();
  if (!state->has_value()) return std::nullopt;
  absl::StatusOr<tv1::Turn> turn = rpc_->Get((*state)->session_id);
  if (!turn.ok()) return turn.status();
  return *std::move(turn);
}

}  // namespace backchat::chat
