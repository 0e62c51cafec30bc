#include "client/bots/telegram/telegram_handler.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/bots/telegram/telegram_messages.h"
#include "client/chat/chat_strings.h"
#include "client/chat/message_splitter.h"
#include "client/common/triage_rpc.h"

namespace backchat::telegram {

namespace tv1 = ::backchat::triage::v1;

namespace {

OutboxCall Call(int64_t chat_id, std::string method, std::string json) {
  OutboxCall call;
  call.chat_id = chat_id;
  call.method = std::move(method);
  call.json = std::move(json);
  return call;
}

OutboxCall RemoveButtons(int64_t chat_id, int64_t message_id) {
  return Call(chat_id, "editMessageReplyMarkup", EditKeyboardJson(chat_id, message_id, NoKeyboard()));
}

bool SameRow(const TelegramChat& a, const TelegramChat& b) {
  return a.session_id == b.session_id && a.question_id == b.question_id &&
         a.locale == b.locale && a.keyboard_message_id == b.keyboard_message_id &&
         a.ticked == b.ticked;
}

}  // namespace

std::string TelegramHandler::LocaleOf(const Row& row, const std::string& language_hint) const {
  std::optional<chat::ChatState> state;
  if (row.has_value()) {
    state.emplace();
    state->locale = row->locale;
  }
  return conversations_->LocaleOf(state, language_hint);
}

Handled TelegramHandler::Failed(absl::Status status, int64_t chat_id, const Row& row,
                                const std::string& language_hint) const {
  Handled handled;
  if (client::IsUnreachable(status)) {
    handled.try_again = Call(
        chat_id, "sendMessage",
        SendMessageJson(chat_id, chat::StringsFor(LocaleOf(row, language_hint)).try_again));
  }
  handled.status = std::move(status);
  return handled;
}

Handled TelegramHandler::Handle(const Update& update, const std::string& shown_question_id) {
  const bool callback = update.has_callback_query();
  if (!callback && !update.has_message()) return {};  // edited messages, channel posts...
  const int64_t chat_id = callback ? update.callback_query().message().chat().id()
                                   : update.message().chat().id();
  absl::StatusOr<Row> row = chats_->Find(absl::StrCat(chat_id));
  if (!row.ok()) return {row.status(), {}, std::nullopt};
  return callback ? HandleCallback(update.callback_query(), *row)
                  : HandleMessage(update.message(), shown_question_id, *row);
}

absl::Status TelegramHandler::AddReply(int64_t chat_id, const chat::ChatReply& reply,
                                       const Row& row, std::vector<OutboxCall>* calls) {
  Row after = row;
  if (reply.turn.has_value()) {
    const tv1::Turn& turn = *reply.turn;
    TelegramChat next;
    next.chat_key = absl::StrCat(chat_id);
    next.session_id = turn.session_id();
    next.question_id = turn.has_question() ? turn.question().id() : "";
    next.locale = turn.locale();
    // A new question keeps no ticks and no buttons of the old one.
    if (row.has_value() && row->session_id == next.session_id &&
        row->question_id == next.question_id) {
      next.keyboard_message_id = row->keyboard_message_id;
      next.ticked = row->ticked;
    }
    if (!row.has_value() || !SameRow(*row, next)) {
      if (absl::Status saved = chats_->Save(next); !saved.ok()) return saved;
    }
    after = std::move(next);
  }
  // The offer goes in a message of its own, with Yes and No.
  absl::string_view text = reply.text;
  if (!reply.check_in_offer.empty()) {
    absl::ConsumeSuffix(&text, reply.check_in_offer);
    absl::ConsumeSuffix(&text, "\n\n");
  }
  const std::vector<std::string> parts = chat::SplitMessage(text, kMaxMessageLength);
  const bool question = reply.turn.has_value() && reply.turn->has_question();
  for (size_t i = 0; i < parts.size(); ++i) {
    std::optional<InlineKeyboardMarkup> keyboard;
    if (i + 1 == parts.size() && question) {
      const tv1::Turn& turn = *reply.turn;
      keyboard = turn.has_confirmation()
                     ? ConfirmationKeyboard(turn.confirmation())
                     : QuestionKeyboard(turn.question(), ParseTicked(after->ticked),
                                        chat::StringsFor(turn.locale()).done_button);
    } else if (i + 1 == parts.size() && reply.turn.has_value() && reply.turn->has_outcome()) {
      // A link, not an answer: it stays when the next question comes.
      keyboard = OutcomeKeyboard(reply.turn->outcome());
    }
    OutboxCall call = Call(chat_id, "sendMessage", SendMessageJson(chat_id, parts[i], keyboard));
    if (question && keyboard.has_value()) call.question_id = reply.turn->question().id();
    calls->push_back(std::move(call));
  }
  if (!reply.check_in_offer.empty()) {
    const std::string locale = reply.turn.has_value() ? reply.turn->locale() : "";
    calls->push_back(Call(chat_id, "sendMessage",
                          SendMessageJson(chat_id, reply.check_in_offer, OfferKeyboard(locale))));
  }
  return absl::OkStatus();
}

Handled TelegramHandler::HandleMessage(const Message& message,
                                       const std::string& shown_question_id, const Row& row) {
  const int64_t chat_id = message.chat().id();
  const std::string& language = message.from().language_code();
  if (message.text().empty()) {
    return {absl::OkStatus(),
            {Call(chat_id, "sendMessage",
                  SendMessageJson(chat_id, chat::StringsFor(LocaleOf(row, language)).text_only))},
            std::nullopt};
  }
  // Without a Telegram row (a chat from before the row existed) the
  // question shown is not known: the message answers the current one.
  const std::optional<std::string> shown =
      row.has_value() ? std::optional<std::string>(shown_question_id) : std::nullopt;
  absl::StatusOr<chat::ChatReply> reply =
      check_ins_->HandleMessage(absl::StrCat(chat_id), "", message.text(), language, shown);
  if (!reply.ok()) return Failed(reply.status(), chat_id, row, language);
  Handled handled;
  // A new message with buttons replaces the old one's buttons.
  if (reply->turn.has_value() && row.has_value() && row->keyboard_message_id != 0) {
    handled.calls.push_back(RemoveButtons(chat_id, row->keyboard_message_id));
  }
  if (absl::Status added = AddReply(chat_id, *reply, row, &handled.calls); !added.ok()) {
    return {added, {}, std::nullopt};
  }
  return handled;
}

Handled TelegramHandler::HandleCallback(const CallbackQuery& query, const Row& row) {
  const int64_t chat_id = query.message().chat().id();
  const std::string chat_key = absl::StrCat(chat_id);
  const int64_t message_id = query.message().message_id();
  const std::string& language = query.from().language_code();
  const chat::ChatStrings& strings = chat::StringsFor(LocaleOf(row, language));
  auto answer = [&](absl::string_view text) {
    return Call(chat_id, "answerCallbackQuery", AnswerCallbackJson(query.id(), text));
  };
  // Answered, and the pressed message's buttons taken away.
  auto stale = [&]() -> Handled {
    return {absl::OkStatus(), {answer(strings.stale_button), RemoveButtons(chat_id, message_id)},
            std::nullopt};
  };
  const std::optional<ButtonPress> press = ParseButtonData(query.data());
  if (!press.has_value()) return {absl::OkStatus(), {answer(strings.unknown_button)}, std::nullopt};
  switch (press->kind) {
    case ButtonPress::Kind::kCheckIn: {
      // The check-in's own message, not the question's keyboard.
      absl::StatusOr<chat::ChatReply> reply = check_ins_->HandleAnswer(chat_key, press->number);
      if (!reply.ok()) return Failed(reply.status(), chat_id, row, language);
      return ButtonReply(chat_id, message_id, answer(""), *reply, row);
    }
    case ButtonPress::Kind::kOfferYes:
    case ButtonPress::Kind::kOfferNo: {
      absl::StatusOr<std::optional<chat::ChatReply>> reply =
          check_ins_->AnswerOffer(chat_key, press->kind == ButtonPress::Kind::kOfferYes);
      if (!reply.ok()) return Failed(reply.status(), chat_id, row, language);
      if (!reply->has_value()) return stale();
      return ButtonReply(chat_id, message_id, answer(""), **reply, row);
    }
    default:
      break;
  }
  if (!row.has_value() || row->question_id.empty() || message_id != row->keyboard_message_id) {
    return stale();  // buttons of an earlier question
  }
  if (press->kind == ButtonPress::Kind::kAccept || press->kind == ButtonPress::Kind::kRefuse) {
    absl::StatusOr<chat::ChatReply> reply = conversations_->HandleConfirmation(
        chat_key, row->question_id, press->kind == ButtonPress::Kind::kAccept);
    if (!reply.ok()) return Failed(reply.status(), chat_id, row, language);
    return ButtonReply(chat_id, message_id, answer(""), *reply, row);
  }
  std::set<int> ticked = ParseTicked(row->ticked);
  std::string numbers;
  if (press->kind == ButtonPress::Kind::kTick) {
    if (!ticked.erase(press->number)) ticked.insert(press->number);
    absl::StatusOr<std::optional<tv1::Turn>> turn = conversations_->CurrentTurn(chat_key);
    if (!turn.ok()) return Failed(turn.status(), chat_id, row, language);
    if (!turn->has_value() || !(*turn)->has_question() ||
        (*turn)->question().id() != row->question_id ||
        press->number > (*turn)->question().options_size()) {
      return {absl::OkStatus(), {answer(strings.stale_button)}, std::nullopt};
    }
    TelegramChat next = *row;
    next.ticked = FormatTicked(ticked);
    if (absl::Status saved = chats_->Save(next); !saved.ok()) return {saved, {}, std::nullopt};
    return {absl::OkStatus(),
            {answer(""), Call(chat_id, "editMessageReplyMarkup",
                              EditKeyboardJson(chat_id, message_id,
                                               QuestionKeyboard((*turn)->question(), ticked,
                                                                strings.done_button)))},
            std::nullopt};
  }
  if (press->kind == ButtonPress::Kind::kDone) {
    if (ticked.empty()) return {absl::OkStatus(), {answer(strings.pick_first)}, std::nullopt};
    numbers = FormatTicked(ticked);
  } else {
    numbers = absl::StrCat(press->number);
  }
  absl::StatusOr<chat::ChatReply> reply =
      conversations_->HandleChoice(chat_key, row->question_id, numbers);
  if (!reply.ok()) return Failed(reply.status(), chat_id, row, language);
  return ButtonReply(chat_id, message_id, answer(""), *reply, row);
}

Handled TelegramHandler::ButtonReply(int64_t chat_id, int64_t message_id, OutboxCall answered,
                                     const chat::ChatReply& reply, const Row& row) {
  Handled handled;
  handled.calls.push_back(std::move(answered));
  handled.calls.push_back(RemoveButtons(chat_id, message_id));
  if (absl::Status added = AddReply(chat_id, reply, row, &handled.calls); !added.ok()) {
    return {added, {}, std::nullopt};
  }
  return handled;
}

}  // namespace backchat::telegram
