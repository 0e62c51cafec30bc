#include "client/bots/telegram/telegram_intake.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "client/bots/telegram/bot_api_client.h"
#include "client/bots/telegram/telegram_log.h"
#include "client/bots/telegram/telegram_messages.h"
#include "client/chat/secrets.h"
#include "google/protobuf/util/json_util.h"

namespace backchat::telegram {

namespace {

const char* const kAllowedUpdates[] = {"message", "callback_query"};

template <typename Request>
void AllowUpdates(Request* request) {
  for (const char* kind : kAllowedUpdates) request->add_allowed_updates(kind);
}

}  // namespace

void TelegramIntake::Join() {
  if (poller_.joinable()) poller_.join();
}

void TelegramIntake::StartPolling() {
  poller_ = std::thread([this] { PollLoop(); });
}

absl::Status TelegramIntake::Receive(const std::vector<Received>& updates, int64_t next_offset) {
  std::vector<InboxUpdate> inbox;
  for (const Received& received : updates) {
    InboxUpdate update;
    update.update_id = received.update.update_id();
    update.json = received.json;
    if (received.update.has_message()) {
      absl::StatusOr<std::optional<TelegramChat>> chat =
          chats_->Find(absl::StrCat(received.update.message().chat().id()));
      if (!chat.ok()) return chat.status();
      update.shown_question_id = chat->has_value() ? (*chat)->question_id : "";
    }
    inbox.push_back(std::move(update));
  }
  const absl::Status added = queue_->AddUpdates(inbox, next_offset);
  if (added.ok()) pacer_->Notify();
  return added;
}

void TelegramIntake::PollLoop() {
  BotApiClient api(options_.api_base_url, options_.token, pacer_->stop_flag());
  int failures = 0;
  // getUpdates is refused (409) while a webhook is set.
  absl::StatusOr<BotApiReply> deleted = api.Call("deleteWebhook", "{}", absl::Seconds(30));
  if (!deleted.ok() || !deleted->ok) {
    Log(absl::StrCat("deleteWebhook failed: ", FailureOf(deleted)));
  }
  while (!pacer_->stopping()) {
    absl::StatusOr<int64_t> offset = queue_->NextOffset();
    if (!offset.ok()) {
      Log(offset.status().message());
      pacer_->Sleep(pacer_->NextBackoff(&failures));
      continue;
    }
    GetUpdatesRequest request;
    request.set_offset(*offset);
    request.set_timeout(static_cast<int32_t>(absl::ToInt64Seconds(options_.poll_timeout)));
    AllowUpdates(&request);
    absl::StatusOr<BotApiReply> reply = api.Call("getUpdates", BotApiJson(request),
                                                 options_.poll_timeout + absl::Seconds(10));
    if (pacer_->stopping()) break;
    if (!reply.ok() || !reply->ok) {
      Log(absl::StrCat("getUpdates failed: ", FailureOf(reply)));
      pacer_->SleepAfter(reply, &failures);
      continue;
    }
    failures = 0;
    UpdateList list;
    if (!ParseBotApiJson(reply->body, &list).ok()) {
      Log("getUpdates answered JSON without a list of updates");
      pacer_->Sleep(pacer_->NextBackoff(&failures));
      continue;
    }
    std::vector<Received> updates;
    int64_t next_offset = *offset;
    for (const google::protobuf::Value& value : list.result()) {
      const auto& fields = value.struct_value().fields();
      const auto id = fields.find("update_id");
      if (id == fields.end() || !id->second.has_number_value()) {
        Log("getUpdates answered an update without update_id; skipped");
        continue;
      }
      const int64_t update_id = static_cast<int64_t>(id->second.number_value());
      next_offset = std::max(next_offset, update_id + 1);
      Received received;
      if (!google::protobuf::util::MessageToJsonString(value, &received.json).ok()) continue;
      // One the bridge cannot read is kept all the same: the worker skips
      // it, logged, in its turn.
      if (!ParseBotApiJson(received.json, &received.update).ok()) received.update.Clear();
      received.update.set_update_id(update_id);
      updates.push_back(std::move(received));
    }
    if (updates.empty()) continue;
    const absl::Status received = Receive(updates, next_offset);
    if (!received.ok()) {
      // Not acknowledged (the offset did not move): asked for again.
      Log(received.message());
      pacer_->Sleep(pacer_->NextBackoff(&failures));
    }
  }
}

absl::Status TelegramIntake::RegisterWebhook(const std::string& public_url) {
  BotApiClient api(options_.api_base_url, options_.token, pacer_->stop_flag());
  SetWebhookRequest request;
  request.set_url(public_url);
  request.set_secret_token(options_.webhook_secret);
  // One delivery at a time keeps updates in order (see TelegramQueue).
  request.set_max_connections(1);
  AllowUpdates(&request);
  const std::string body = BotApiJson(request);
  int failures = 0;
  while (!pacer_->stopping()) {
    absl::StatusOr<BotApiReply> reply = api.Call("setWebhook", body, absl::Seconds(30));
    if (reply.ok() && reply->ok) return absl::OkStatus();
    if (reply.ok() && !reply->Retryable()) {
      return absl::InvalidArgumentError(
          absl::StrCat("setWebhook refused: ", reply->http_status, " ", reply->description));
    }
    Log(absl::StrCat("setWebhook failed, retrying: ", FailureOf(reply)));
    pacer_->SleepAfter(reply, &failures);
  }
  return absl::CancelledError("stopped before setWebhook succeeded");
}

void TelegramIntake::HandleWebhook(const http::HttpRequest& request,
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
  Received received;
  received.json = request.body;
  const absl::Status parsed = ParseBotApiJson(request.body, &received.update);
  if (!parsed.ok() || received.update.update_id() <= 0) {
    *response = http::PlainTextResponse(
        400, parsed.ok() ? "the update has no update_id"
                         : absl::StrCat("the body is not a Telegram update: ", parsed.message()));
    return;
  }
  const int64_t next_offset = received.update.update_id() + 1;
  if (const absl::Status stored = Receive({std::move(received)}, next_offset); !stored.ok()) {
    Log(stored.message());
    *response = http::PlainTextResponse(500, "could not store the update; send it again");
    return;
  }
  *response = http::PlainTextResponse(200, "ok");
}

}  // namespace backchat::telegram
