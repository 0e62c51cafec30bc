#include "client/bots/webhook/callback_sender.h"

#include "absl/strings/str_cat.h"
#include "client/bots/http_post.h"
#include "client/chat/chat_strings.h"
#include "client/chat/check_ins.h"
#include "client/chat/secrets.h"
#include "service/common/proto_json.h"

namespace backchat::webhook {

std::string CheckInCallbackBody(absl::string_view user, absl::string_view locale) {
  const chat::ChatStrings& strings = chat::StringsFor(locale);
  std::string body = "{\"user\":";
  http::AppendJsonString(user, &body);
  body += ",\"checkIn\":true,\"messages\":[";
  http::AppendJsonString(chat::CheckInMessage(locale), &body);
  body += "],\"options\":[";
  for (int i = 0; i < 4; ++i) {
    absl::StrAppend(&body, i > 0 ? "," : "", "{\"number\":", i + 1, ",\"label\":");
    http::AppendJsonString(strings.check_in_choices[i], &body);
    body += "}";
  }
  body += "]}";
  return body;
}

std::string CallbackSignature(absl::string_view token, absl::string_view body) {
  return absl::StrCat("sha256=", chat::KeyedHash(token, body));
}

absl::Status SendCheckInCallback(const std::string& callback_url, const std::string& token,
                                 absl::string_view user, absl::string_view locale) {
  bots::HttpPostRequest request;
  request.url = callback_url;
  request.content_type = "application/json";
  request.body = CheckInCallbackBody(user, locale);
  request.headers.push_back(
      absl::StrCat("X-BackChat-Signature: ", CallbackSignature(token, request.body)));
  return bots::SendOutcome("the callback URL", bots::HttpPost(request));
}

}  // namespace backchat::webhook
