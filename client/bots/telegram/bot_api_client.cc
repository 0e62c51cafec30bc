#include "client/bots/telegram/bot_api_client.h"

#include "absl/strings/str_cat.h"
#include "client/bots/telegram/telegram_messages.h"

namespace backchat::telegram {

std::string FailureOf(const absl::StatusOr<BotApiReply>& reply) {
  if (!reply.ok()) return std::string(reply.status().message());
  return absl::StrCat(reply->http_status, " ", reply->description);
}

absl::StatusOr<BotApiReply> BotApiClient::Call(const std::string& method,
                                               const std::string& json,
                                               absl::Duration timeout) {
  bots::HttpPostRequest request;
  request.url = absl::StrCat(base_url_, "/bot", token_, "/", method);
  request.content_type = "application/json";
  request.body = json;
  request.timeout = timeout;
  absl::StatusOr<bots::HttpPostReply> posted = poster_.Post(request);
  if (!posted.ok()) {
    // The message never holds the URL, so never the token.
    return absl::UnavailableError(absl::StrCat("Bot API ", method, ": ", posted.status().message()));
  }
  BotApiReply reply;
  reply.http_status = posted->status;
  reply.body = std::move(posted->body);
  ApiStatus api;
  if (ParseBotApiJson(reply.body, &api).ok()) {
    reply.ok = api.ok();
    reply.error_code = api.error_code();
    reply.description = api.description();
    reply.retry_after = absl::Seconds(api.parameters().retry_after());
  } else {
    reply.description =
        absl::StrCat("HTTP ", reply.http_status, " with a body that is not the Bot API's JSON");
  }
  if (reply.ok && reply.http_status != 200) reply.ok = false;
  return reply;
}

}  // namespace backchat::telegram
