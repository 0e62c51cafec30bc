#include "client/bots/telegram/telegram_sender.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/bots/telegram/telegram_log.h"
#include "client/bots/telegram/telegram_messages.h"

namespace backchat::telegram {

bool TelegramSender::SendOutbox() {
  int failures = 0;
  while (!pacer_->stopping()) {
    absl::StatusOr<std::optional<OutboxCall>> next = queue_->OldestCall();
    if (!next.ok()) {
      Log(next.status().message());
      return false;
    }
    if (!next->has_value()) return true;
    const OutboxCall& call = **next;
    absl::StatusOr<BotApiReply> reply = api_->Call(call.method, call.json, absl::Seconds(30));
    if (!reply.ok() || reply->Retryable()) {
      Log(absl::StrCat(call.method, " failed, will retry: ", FailureOf(reply)));
      pacer_->SleepAfter(reply, &failures);
      continue;
    }
    failures = 0;
    if (!reply->ok) {
      Log(absl::StrCat(call.method, " refused, dropped: ", reply->http_status, " ",
                       reply->description));
    } else if (!call.question_id.empty()) {
      SentMessage sent;
      if (ParseBotApiJson(reply->body, &sent).ok()) {
        const absl::Status saved = chats_->SetKeyboard(absl::StrCat(call.chat_id),
                                                       call.question_id, sent.result().message_id());
        if (!saved.ok()) Log(saved.message());
      }
    }
    if (absl::Status removed = queue_->RemoveCall(call.id); !removed.ok()) {
      Log(removed.message());
      return false;
    }
  }
  return false;
}

absl::Status SendCheckIn(BotApiClient& api, const chat::PendingCheckIn& check_in,
                         const std::string& text) {
  int64_t chat_id = 0;
  if (!absl::SimpleAtoi(check_in.chat_key, &chat_id)) {
    return absl::FailedPreconditionError("a Telegram chat key that is not a chat id");
  }
  absl::StatusOr<BotApiReply> reply = api.Call(
      "sendMessage", SendMessageJson(chat_id, text, CheckInKeyboard(check_in.locale)),
      absl::Seconds(30));
  if (!reply.ok()) return reply.status();
  if (reply->Retryable()) {
    return absl::UnavailableError(absl::StrCat("sendMessage: ", reply->http_status));
  }
  if (!reply->ok) {
    return absl::FailedPreconditionError(absl::StrCat("sendMessage refused: ", reply->description));
  }
  return absl::OkStatus();
}

}  // namespace backchat::telegram
