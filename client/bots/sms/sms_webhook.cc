#include "client/bots/sms/sms_webhook.h"


#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/bots/sms/twilio_signature.h"
#include "client/bots/sms/twiml.h"
#include "client/chat/message_splitter.h"
#include "client/chat/secrets.h"
#include "client/common/triage_rpc.h"
#include "service/common/http/form_urlencoded.h"
#include "service/common/log_line.h"

namespace backchat::sms {
namespace {

void Twiml(const std::vector<std::string>& messages, http::HttpResponse* response) {
  response->status = 200;
  response->SetHeader("Content-Type", "application/xml; charset=utf-8");
  response->body = TwimlReply(messages);
}

}  // namespace

void SmsWebhook::Handle(const http::HttpRequest& request, http::HttpResponse* response) {
  if (request.path != options_.path) {
    *response = http::PlainTextResponse(404, "not found; the SMS webhook is at " + options_.path);
    return;
  }
  if (request.method != "POST") {
    *response = http::PlainTextResponse(405, "the SMS webhook takes POST");
    response->SetHeader("Allow", "POST");
    return;
  }
  const std::string type = absl::AsciiStrToLower(request.Header("content-type"));
  if (!absl::StartsWith(type, "application/x-www-form-urlencoded")) {
    *response = http::PlainTextResponse(
        415, "the SMS webhook takes application/x-www-form-urlencoded (Twilio's format)");
    return;
  }
  absl::StatusOr<http::FormFields> fields = http::ParseFormUrlencoded(request.body);
  if (!fields.ok()) {
    *response = http::PlainTextResponse(400, fields.status().message());
    return;
  }
  const std::string url = request.query.empty()
                              ? options_.public_url
                              : absl::StrCat(options_.public_url, "?", request.query);
  if (!TwilioSignatureValid(options_.auth_token, url, *fields,
                            request.Header("x-twilio-signature"))) {
    *response = http::PlainTextResponse(
        403, "X-Twilio-Signature is missing or wrong (is --public_url the URL set in Twilio?)");
    return;
  }
  const std::string from = http::FormValue(*fields, "From");
  if (from.empty()) {
    *response = http::PlainTextResponse(400, "form field From is missing");
    return;
  }
  const std::string chat_key = chat::KeyedHash(options_.phone_key, from);
  absl::StatusOr<chat::ChatReply> reply =
      check_ins_->HandleMessage(chat_key, from, http::FormValue(*fields, "Body"), "");
  if (!reply.ok()) {
    if (!client::IsUnreachable(reply.status())) {
      LogLine("backchat_sms", reply.status().message());
    }
    // Twilio does not send a webhook again; the person can.
    Twiml({check_ins_->conversations().TryAgainText(chat_key, "")}, response);
    return;
  }
  Twiml(chat::SplitMessage(reply->text, options_.max_message_length), response);
}

}  // namespace backchat::sms
