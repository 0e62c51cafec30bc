#include "client/bots/bridge_admin.h"


#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/chat/secrets.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "service/common/proto_json.h"
#include "service/common/log_line.h"

namespace backchat::bots {

void BridgeAdmin::Handle(const http::HttpRequest& request, http::HttpResponse* response) const {
  if (token_.empty()) {
    *response = http::PlainTextResponse(404, "the admin endpoint is off (--admin_token_file)");
    return;
  }
  if (request.method != "POST") {
    *response = http::PlainTextResponse(405, "POST /admin/forget {\"user\": \"...\"}");
    response->SetHeader("Allow", "POST");
    return;
  }
  absl::string_view presented = request.Header("authorization");
  if (!absl::ConsumePrefix(&presented, "Bearer ") ||
      !chat::ConstantTimeEquals(presented, token_)) {
    *response = http::PlainTextResponse(401, "missing or wrong \"Authorization: Bearer <token>\"");
    response->SetHeader("WWW-Authenticate", "Bearer");
    return;
  }
  google::protobuf::Struct body;
  const auto* user = [&]() -> const google::protobuf::Value* {
    if (!google::protobuf::util::JsonStringToMessage(request.body, &body).ok()) return nullptr;
    const auto found = body.fields().find("user");
    return found == body.fields().end() || found->second.string_value().empty() ? nullptr
                                                                               : &found->second;
  }();
  if (user == nullptr) {
    *response = http::PlainTextResponse(400, "send JSON {\"user\": \"<the person's id>\"}");
    return;
  }
  const std::string chat_key = chat_key_of_(user->string_value());
  chat::ChatStore& store = conversations_->store();
  absl::StatusOr<std::optional<chat::ChatState>> state =
      store.Find(conversations_->channel_name(), chat_key);
  absl::Status forgotten = state.ok() ? store.Forget(conversations_->channel_name(), chat_key)
                                      : state.status();
  if (!forgotten.ok()) {
    LogLine("bridge admin", forgotten.message());
    *response = http::PlainTextResponse(500, "could not update the state file; try again");
    return;
  }
  response->status = 200;
  response->SetHeader("Content-Type", "application/json");
  response->body = absl::StrCat("{\"forgotten\":", state->has_value() ? "true" : "false");
  if (state->has_value()) {
    response->body += ",\"sessionId\":";
    http::AppendJsonString((*state)->session_id, &response->body);
  }
  response->body += "}";
}

}  // namespace backchat::bots
