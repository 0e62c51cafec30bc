#include "client/bots/telegram/telegram_bridge.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/bots/telegram/telegram_messages.h"
#include "client/chat/chat_strings.h"
#include "client/chat/message_splitter.h"
#include "client/chat/secrets.h"
#include "client/common/triage_rpc.h"
#include "google/protobuf/util/json_util.h"
#include "service/common/log_line.h"
#include "service/http/proto_json.h"

namespace backchat::telegram {

namespace tv1 = ::backchat::triage::v1;

namespace {

constexpr char kProgram[] = "backchat_telegram";
constexpr char kAllowedUpdates[] = "[\"message\",\"callback_query\"]";

absl::Status ParseJson(const std::string& json, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status = google::protobuf::util::JsonStringToMessage(json, message, options);
  if (status.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(std::string(status.message()));
}

OutboxCall Call(int64_t chat_id, std::string method, std::string json) {
  OutboxCall call;
  call.chat_id = chat_id;
  call.method = std::move(method);
  call.json = std::move(json);
  return call;
}

void Log(absl::string_view message) { LogLine(kProgram, message); }

}  // namespace

TelegramBridge::TelegramBridge(chat::CheckIns* check_ins, TelegramQueue* queue,
                               TelegramOptions options)
    : check_ins_(check_ins),
      conversations_(&check_ins->conversations()),
      queue_(queue),
      options_(std::move(options)) {}

TelegramBridge::~TelegramBridge() { Stop(); }

void TelegramBridge::Start() {
  worker_ = std::thread([this] { WorkLoop(); });
}

void TelegramBridge::StartPolling() {
  poller_ = std::thread([this] { PollLoop(); });
}

void TelegramBridge::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (poller_.joinable()) poller_.join();
  if (worker_.joinable()) worker_.join();
}

bool TelegramBridge::Sleep(absl::Duration duration) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(
                           +[](std::atomic<bool>* stop) { return stop->load(); }, &stop_),
                       duration);
  return !stop_;
}

absl::Duration TelegramBridge::NextBackoff(int* failures) const {
  const absl::Duration wait =
      std::min(options_.first_backoff * (1 << std::min(*failures, 16)), options_.max_backoff);
  ++*failures;
  return wait;
}

absl::Status TelegramBridge::Receive(
    const std::vector<std::pair<int64_t, std::string>>& updates, int64_t next_offset) {
  std::vector<InboxUpdate> inbox;
  for (const auto& [update_id, json] : updates) {
    InboxUpdate update;
    update.update_id = update_id;
    update.json = json;
    Update parsed;
    if (ParseJson(json, &parsed).ok() && parsed.has_message()) {
      absl::StatusOr<std::string> shown =
          conversations_->QuestionShown(absl::StrCat(parsed.message().chat().id()));
      if (!shown.ok()) return shown.status();
      update.shown_question_id = *shown;
    }
    inbox.push_back(std::move(update));
  }
  const absl::Status added = queue_->AddUpdates(inbox, next_offset);
  if (added.ok()) {
    absl::MutexLock lock(&mu_);
    work_ = true;
  }
  return added;
}

void TelegramBridge::PollLoop() {
  BotApiClient api(options_.api_base_url, options_.token, &stop_);
  int failures = 0;
  // getUpdates is refused (409) while a webhook is set.
  absl::StatusOr<BotApiReply> deleted = api.Call("deleteWebhook", "{}", absl::Seconds(30));
  if (!deleted.ok() || !deleted->ok) {
    Log(absl::StrCat("deleteWebhook failed: ",
                     deleted.ok() ? deleted->description : deleted.status().message()));
  }
  while (!stop_) {
    absl::StatusOr<int64_t> offset = queue_->NextOffset();
    if (!offset.ok()) {
      Log(offset.status().message());
      Sleep(NextBackoff(&failures));
      continue;
    }
    const std::string request =
        absl::StrCat("{\"offset\":", *offset, ",\"timeout\":",
                     absl::ToInt64Seconds(options_.poll_timeout),
                     ",\"allowed_updates\":", kAllowedUpdates, "}");
    absl::StatusOr<BotApiReply> reply =
        api.Call("getUpdates", request, options_.poll_timeout + absl::Seconds(10));
    if (stop_) break;
    if (!reply.ok() || !reply->ok) {
      const bool flood = reply.ok() && reply->http_status == 429;
      Log(absl::StrCat("getUpdates failed: ",
                       reply.ok() ? absl::StrCat(reply->http_status, " ", reply->description)
                                  : reply.status().message()));
      Sleep(flood ? std::max(reply->retry_after, options_.first_backoff)
                  : NextBackoff(&failures));
      continue;
    }
    failures = 0;
    UpdateList list;
    if (!ParseJson(reply->body, &list).ok()) {
      Log("getUpdates answered JSON without a list of updates");
      Sleep(NextBackoff(&failures));
      continue;
    }
    std::vector<std::pair<int64_t, std::string>> updates;
    int64_t next_offset = *offset;
    for (const google::protobuf::Value& value : list.result()) {
      const auto& fields = value.struct_value().fields();
      const auto id = fields.find("update_id");
      if (id == fields.end() || !id->second.has_number_value()) {
        Log("getUpdates answered an update without update_id; skipped");
        continue;
      }
      const int64_t update_id = static_cast<int64_t>(id->second.number_value());
      std::string json;
      if (!google::protobuf::util::MessageToJsonString(value, &json).ok()) continue;
      updates.emplace_back(update_id, std::move(json));
      next_offset = std::max(next_offset, update_id + 1);
    }
    if (updates.empty()) continue;
    const absl::Status received = Receive(updates, next_offset);
    if (!received.ok()) {
      // Not acknowledged (the offset did not move): asked for again.
      Log(received.message());
      Sleep(NextBackoff(&failures));
    }
  }
}

absl::Status TelegramBridge::RegisterWebhook(const std::string& public_url) {
  BotApiClient api(options_.api_base_url, options_.token, &stop_);
  std::string request = "{\"url\":";
  http::AppendJsonString(public_url, &request);
  request += ",\"secret_token\":";
  http::AppendJsonString(options_.webhook_secret, &request);
  // One delivery at a time keeps updates in order (see TelegramQueue).
  absl::StrAppend(&request, ",\"max_connections\":1,\"allowed_updates\":", kAllowedUpdates,
                  "}");
  int failures = 0;
  while (!stop_) {
    absl::StatusOr<BotApiReply> reply = api.Call("setWebhook", request, absl::Seconds(30));
    if (reply.ok() && reply->ok) return absl::OkStatus();
    if (reply.ok() && !reply->Retryable()) {
      return absl::InvalidArgumentError(
          absl::StrCat("setWebhook refused: ", reply->http_status, " ", reply->description));
    }
    Log(absl::StrCat("setWebhook failed, retrying: ",
                     reply.ok() ? reply->description : reply.status().message()));
    Sleep(reply.ok() && reply->http_status == 429 ? reply->retry_after
                                                  : NextBackoff(&failures));
  }
  return absl::CancelledError("stopped before setWebhook succeeded");
}

void TelegramBridge::HandleWebhook(const http::HttpRequest& request,
                                   http::HttpResponse* response) {
  if (request.path != options_.webhook_path) {
    *response = http::PlainTextResponse(404, "not found");
    return;
  }
  if (request.method != "POST") {
    *response = http::PlainTextResponse(405, "the Telegram webhook takes POST");
    response->SetHeader("Allow", "POST");
    return;
  }
  if (!chat::ConstantTimeEquals(request.Header("x-telegram-bot-api-secret-token"),
                                options_.webhook_secret)) {
    *response = http::PlainTextResponse(401, "X-Telegram-Bot-Api-Secret-Token is missing or wrong");
    return;
  }
  Update update;
  const absl::Status parsed = ParseJson(request.body, &update);
  if (!parsed.ok() || update.update_id() <= 0) {
    *response = http::PlainTextResponse(
        400, parsed.ok() ? "the update has no update_id"
                         : absl::StrCat("the body is not a Telegram update: ", parsed.message()));
    return;
  }
  const absl::Status received =
      Receive({{update.update_id(), request.body}}, update.update_id() + 1);
  if (!received.ok()) {
    Log(received.message());
    *response = http::PlainTextResponse(500, "could not store the update; send it again");
    return;
  }
  *response = http::PlainTextResponse(200, "ok");
}

std::vector<OutboxCall> TelegramBridge::ReplyCalls(int64_t chat_id,
                                                   const chat::ChatReply& reply) {
  std::vector<OutboxCall> calls;
  const std::vector<std::string> parts = chat::SplitMessage(reply.text, kMaxMessageLength);
  const bool question = reply.turn.has_value() && reply.turn->has_question();
  std::set<int> ticked;
  if (question) {
    absl::StatusOr<std::optional<chat::ChatState>> state =
        conversations_->store().Find(conversations_->channel_name(), absl::StrCat(chat_id));
    if (state.ok() && state->has_value()) ticked = ParseTicked((*state)->ticked);
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    std::string keyboard;
    if (last && question) {
      keyboard = reply.turn->has_confirmation()
                     ? ConfirmationKeyboard(reply.turn->confirmation())
                     : QuestionKeyboard(reply.turn->question(), ticked,
                                        chat::StringsFor(reply.turn->locale()).done_button);
    } else if (last && reply.turn.has_value() && reply.turn->has_outcome()) {
      // A link, not an answer: it stays when the next question comes.
      keyboard = OutcomeKeyboard(reply.turn->outcome());
    }
    OutboxCall call = Call(chat_id, "sendMessage", SendMessageJson(chat_id, parts[i], keyboard));
    if (question && !keyboard.empty()) call.question_id = reply.turn->question().id();
    calls.push_back(std::move(call));
  }
  return calls;
}

TelegramBridge::Handled TelegramBridge::HandleUpdate(const InboxUpdate& inbox) {
  Update update;
  if (const absl::Status parsed = ParseJson(inbox.json, &update); !parsed.ok()) {
    Log(absl::StrCat("update ", inbox.update_id, " is not one the bridge reads; skipped: ",
                     parsed.message()));
    return {};
  }
  if (update.has_callback_query()) {
    return HandleCallback(update.callback_query().message().chat().id(), update.callback_query());
  }
  if (!update.has_message()) return {};  // edited messages, channel posts...
  const Message& message = update.message();
  const int64_t chat_id = message.chat().id();
  const std::string chat_key = absl::StrCat(chat_id);
  const std::string& language = message.from().language_code();
  absl::StatusOr<std::optional<chat::ChatState>> before =
      conversations_->store().Find(conversations_->channel_name(), chat_key);
  if (!before.ok()) return {before.status(), {}};
  if (message.text().empty()) {
    const std::string locale = conversations_->LocaleOf(*before, language);
    return {absl::OkStatus(),
            {Call(chat_id, "sendMessage",
                  SendMessageJson(chat_id, chat::StringsFor(locale).text_only, ""))}};
  }
  absl::StatusOr<chat::ChatReply> reply = check_ins_->HandleMessage(
      chat_key, "", message.text(), language, inbox.shown_question_id);
  if (!reply.ok()) return {reply.status(), {}};
  Handled handled;
  // A new message with buttons replaces the old one's buttons.
  if (reply->turn.has_value() && before->has_value() && (*before)->keyboard_message_id != 0) {
    handled.calls.push_back(Call(chat_id, "editMessageReplyMarkup",
                                 EditKeyboardJson(chat_id, (*before)->keyboard_message_id,
                                                  NoKeyboard())));
  }
  for (OutboxCall& call : ReplyCalls(chat_id, *reply)) handled.calls.push_back(std::move(call));
  return handled;
}

TelegramBridge::Handled TelegramBridge::HandleCallback(int64_t chat_id,
                                                       const CallbackQuery& query) {
  const std::string chat_key = absl::StrCat(chat_id);
  const int64_t message_id = query.message().message_id();
  absl::StatusOr<std::optional<chat::ChatState>> found =
      conversations_->store().Find(conversations_->channel_name(), chat_key);
  if (!found.ok()) return {found.status(), {}};
  const std::optional<chat::ChatState>& state = *found;
  const chat::ChatStrings& strings =
      chat::StringsFor(conversations_->LocaleOf(state, query.from().language_code()));
  auto answer = [&](absl::string_view text) {
    return Call(chat_id, "answerCallbackQuery", AnswerCallbackJson(query.id(), text));
  };
  const std::optional<ButtonPress> press = ParseButtonData(query.data());
  if (!press.has_value()) return {absl::OkStatus(), {answer(strings.unknown_button)}};
  if (press->kind == ButtonPress::Kind::kCheckIn) {
    // The check-in's own message, not the question's keyboard.
    absl::StatusOr<chat::ChatReply> reply = check_ins_->HandleAnswer(chat_key, press->number);
    if (!reply.ok()) return {reply.status(), {}};
    return ButtonReply(chat_id, message_id, answer(""), *reply);
  }
  if (!state.has_value() || state->question_id.empty() ||
      message_id != state->keyboard_message_id) {
    // Buttons of an earlier question: answer, and take them away.
    return {
        absl::OkStatus(),
        {answer(strings.stale_button), Call(chat_id, "editMessageReplyMarkup",
                                            EditKeyboardJson(chat_id, message_id, NoKeyboard()))}};
  }
  if (press->kind == ButtonPress::Kind::kAccept || press->kind == ButtonPress::Kind::kRefuse) {
    absl::StatusOr<chat::ChatReply> reply = conversations_->HandleConfirmation(
        chat_key, state->question_id, press->kind == ButtonPress::Kind::kAccept);
    if (!reply.ok()) return {reply.status(), {}};
    return ButtonReply(chat_id, message_id, answer(""), *reply);
  }
  std::set<int> ticked = ParseTicked(state->ticked);
  std::string numbers;
  if (press->kind == ButtonPress::Kind::kTick) {
    if (!ticked.erase(press->number)) ticked.insert(press->number);
    chat::ChatState next = *state;
    next.ticked = FormatTicked(ticked);
    absl::StatusOr<std::optional<tv1::Turn>> turn = conversations_->CurrentTurn(chat_key);
    if (!turn.ok()) return {turn.status(), {}};
    if (!turn->has_value() || !(*turn)->has_question() ||
        (*turn)->question().id() != state->question_id ||
        press->number > (*turn)->question().options_size()) {
      return {absl::OkStatus(), {answer(strings.stale_button)}};
    }
    if (absl::Status saved =
            conversations_->store().Save(conversations_->channel_name(), chat_key, next);
        !saved.ok()) {
      return {saved, {}};
    }
    return {absl::OkStatus(),
            {answer(""), Call(chat_id, "editMessageReplyMarkup",
                              EditKeyboardJson(chat_id, message_id,
                                               QuestionKeyboard((*turn)->question(), ticked,
                                                                strings.done_button)))}};
  }
  if (press->kind == ButtonPress::Kind::kDone) {
    if (ticked.empty()) return {absl::OkStatus(), {answer(strings.pick_first)}};
    numbers = FormatTicked(ticked);
  } else {
    numbers = absl::StrCat(press->number);
  }
  absl::StatusOr<chat::ChatReply> reply =
      conversations_->HandleChoice(chat_key, state->question_id, numbers);
  if (!reply.ok()) return {reply.status(), {}};
  return ButtonReply(chat_id, message_id, answer(""), *reply);
}

TelegramBridge::Handled TelegramBridge::ButtonReply(int64_t chat_id, int64_t message_id,
                                                    OutboxCall answered,
                                                    const chat::ChatReply& reply) {
  Handled handled;
  handled.calls.push_back(std::move(answered));
  handled.calls.push_back(
      Call(chat_id, "editMessageReplyMarkup", EditKeyboardJson(chat_id, message_id, NoKeyboard())));
  for (OutboxCall& call : ReplyCalls(chat_id, reply)) handled.calls.push_back(std::move(call));
  return handled;
}

bool TelegramBridge::SendOutbox(BotApiClient& api) {
  int failures = 0;
  while (!stop_) {
    absl::StatusOr<std::optional<OutboxCall>> next = queue_->OldestCall();
    if (!next.ok()) {
      Log(next.status().message());
      return false;
    }
    if (!next->has_value()) return true;
    const OutboxCall& call = **next;
    absl::StatusOr<BotApiReply> reply = api.Call(call.method, call.json, absl::Seconds(30));
    if (!reply.ok() || reply->Retryable()) {
      // Flood control says how long to wait; other failures back off.
      const bool flood = reply.ok() && reply->http_status == 429;
      Log(absl::StrCat(call.method, " failed, will retry: ",
                       reply.ok() ? absl::StrCat(reply->http_status, " ", reply->description)
                                  : reply.status().message()));
      Sleep(flood ? std::max(reply->retry_after, options_.first_backoff)
                  : NextBackoff(&failures));
      continue;
    }
    failures = 0;
    if (!reply->ok) {
      // Will fail again (the person blocked the bot, a button too old).
      Log(absl::StrCat(call.method, " refused, dropped: ", reply->http_status, " ",
                       reply->description));
    } else if (!call.question_id.empty()) {
      SentMessage sent;
      const std::string chat_key = absl::StrCat(call.chat_id);
      absl::StatusOr<std::optional<chat::ChatState>> state =
          conversations_->store().Find(conversations_->channel_name(), chat_key);
      if (ParseJson(reply->body, &sent).ok() && state.ok() && state->has_value() &&
          (*state)->question_id == call.question_id) {
        chat::ChatState next_state = **state;
        next_state.keyboard_message_id = sent.result().message_id();
        const absl::Status saved =
            conversations_->store().Save(conversations_->channel_name(), chat_key, next_state);
        if (!saved.ok()) Log(saved.message());
      }
    }
    if (const absl::Status removed = queue_->RemoveCall(call.id); !removed.ok()) {
      Log(removed.message());
      return false;
    }
  }
  return false;
}

void TelegramBridge::WorkLoop() {
  // Never abandoned half-way at shutdown: a message Telegram took, but
  // whose answer was cut off, would stay in the outbox and be sent again.
  BotApiClient api(options_.api_base_url, options_.token, /*stop=*/nullptr);
  int failures = 0;
  while (!stop_) {
    if (!SendOutbox(api)) {
      Sleep(NextBackoff(&failures));
      continue;
    }
    absl::StatusOr<std::optional<InboxUpdate>> update = queue_->OldestUpdate();
    if (!update.ok()) {
      Log(update.status().message());
      Sleep(NextBackoff(&failures));
      continue;
    }
    if (!update->has_value()) {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(
          absl::Condition(
              +[](TelegramBridge* bridge) ABSL_EXCLUSIVE_LOCKS_REQUIRED(bridge->mu_) {
                return bridge->work_ || bridge->stop_.load();
              },
              this),
          absl::Seconds(1));
      work_ = false;
      continue;
    }
    Handled handled = HandleUpdate(**update);
    absl::Status done;
    if (!handled.status.ok()) {
      // BackChat unreachable (or the state file failing): keep the update,
      // tell the person once, and try again after a while.
      if (!client::IsUnreachable(handled.status)) Log(handled.status.message());
      std::vector<OutboxCall> calls;
      if (!(*update)->told_unavailable && client::IsUnreachable(handled.status)) {
        Update parsed;
        ParseJson((*update)->json, &parsed).IgnoreError();
        const int64_t chat_id = parsed.has_callback_query()
                                    ? parsed.callback_query().message().chat().id()
                                    : parsed.message().chat().id();
        const std::string& language = parsed.has_callback_query()
                                          ? parsed.callback_query().from().language_code()
                                          : parsed.message().from().language_code();
        calls.push_back(Call(chat_id, "sendMessage",
                             SendMessageJson(chat_id,
                                             conversations_->TryAgainText(
                                                 absl::StrCat(chat_id), language),
                                             "")));
      }
      done = queue_->PostponeUpdate((*update)->update_id, calls);
      if (done.ok()) {
        Sleep(NextBackoff(&failures));
        continue;
      }
    } else {
      failures = 0;
      done = queue_->FinishUpdate((*update)->update_id, handled.calls);
    }
    if (!done.ok()) {
      Log(done.message());
      Sleep(NextBackoff(&failures));
    }
  }
}

}  // namespace backchat::telegram
