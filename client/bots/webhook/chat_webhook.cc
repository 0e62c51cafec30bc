#include "client/bots/webhook/chat_webhook.h"


#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "backchat/chat/v1/chat_webhook.pb.h"
#include "client/chat/message_splitter.h"
#include "client/chat/secrets.h"
#include "client/common/triage_rpc.h"
#include "google/protobuf/util/json_util.h"
#include "service/common/proto_json.h"
#include "service/common/log_line.h"

namespace backchat::webhook {

namespace cv1 = ::backchat::chat::v1;
namespace tv1 = ::backchat::triage::v1;

namespace {

constexpr char kPath[] = "/v1/messages";

void JsonReply(int status, const cv1::ChatWebhookResponse& reply,
               http::HttpResponse* response) {
  response->status = status;
  response->SetHeader("Content-Type", "application/json");
  response->body.clear();
  if (!http::AppendProtoJson(reply, &response->body).ok()) {
    response->body = "{}";
  }
}

void JsonError(int status, absl::string_view message, http::HttpResponse* response) {
  response->status = status;
  response->SetHeader("Content-Type", "application/json");
  response->body = "{\"error\":";
  http::AppendJsonString(message, &response->body);
  response->body += "}";
}

}  // namespace

void ChatWebhook::Handle(const http::HttpRequest& request, http::HttpResponse* response) {
  if (request.path != kPath) {
    JsonError(404, absl::StrCat("not found; post messages to ", kPath), response);
    return;
  }
  if (request.method != "POST") {
    JsonError(405, "the chat webhook takes POST", response);
    response->SetHeader("Allow", "POST");
    return;
  }
  absl::string_view authorization = request.Header("authorization");
  if (!absl::ConsumePrefix(&authorization, "Bearer ") ||
      !chat::ConstantTimeEquals(authorization, options_.token)) {
    JsonError(401, "missing or wrong \"Authorization: Bearer <token>\"", response);
    response->SetHeader("WWW-Authenticate", "Bearer");
    return;
  }
  const std::string type = absl::AsciiStrToLower(request.Header("content-type"));
  if (!absl::StartsWith(type, "application/json")) {
    JsonError(415, "the chat webhook takes application/json", response);
    return;
  }
  cv1::ChatWebhookRequest message;
  const auto parsed = google::protobuf::util::JsonStringToMessage(request.body, &message);
  if (!parsed.ok()) {
    JsonError(400, absl::StrCat("the body is not a ChatWebhookRequest: ",
                                std::string(parsed.message())),
              response);
    return;
  }
  if (message.user().empty()) {
    JsonError(400, "user is missing: the person's id on the platform", response);
    return;
  }
  const std::string chat_key = chat::KeyedHash(options_.user_key, message.user());
  absl::StatusOr<chat::ChatReply> reply =
      check_ins_->HandleMessage(chat_key, message.user(), message.text(), message.locale());
  cv1::ChatWebhookResponse out;
  if (!reply.ok()) {
    if (!client::IsUnreachable(reply.status())) {
      LogLine("backchat_webhook", reply.status().message());
    }
    out.add_messages(check_ins_->conversations().TryAgainText(chat_key, message.locale()));
    JsonReply(503, out, response);
    response->SetHeader("Retry-After", "5");
    return;
  }
  for (std::string& part : chat::SplitMessage(reply->text, options_.max_message_length)) {
    out.add_messages(std::move(part));
  }
  if (reply->turn.has_value() && reply->turn->has_question()) {
    const tv1::Question& question = reply->turn->question();
    for (int i = 0; i < question.options_size(); ++i) {
      cv1::ChatOption* option = out.add_options();
      option->set_number(i + 1);
      option->set_label(question.options(i).label());
    }
    out.set_multiple_choice(question.kind() == tv1::QUESTION_KIND_MULTIPLE_CHOICE);
    if (reply->turn->has_confirmation()) {
      out.mutable_confirmation()->set_accept_label(reply->turn->confirmation().accept_label());
      out.mutable_confirmation()->set_refuse_label(reply->turn->confirmation().refuse_label());
    }
  }
  if (reply->turn.has_value() && reply->turn->has_outcome()) {
    out.set_level(reply->turn->outcome().level());
    *out.mutable_actions() = reply->turn->outcome().actions();
  }
  JsonReply(200, out, response);
}

}  // namespace backchat::webhook
