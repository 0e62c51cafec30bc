#include "tests/bots/fake_bot_api.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/chat/message_splitter.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "service/common/proto_json.h"

namespace backchat::testing {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

std::string Quoted(absl::string_view text) {
  std::string out;
  http::AppendJsonString(text, &out);
  return out;
}

const Value* Field(const Struct& object, const std::string& name) {
  const auto it = object.fields().find(name);
  return it == object.fields().end() ? nullptr : &it->second;
}

void Reply(http::HttpResponse* response, int status, const std::string& body) {
  response->status = status;
  response->SetHeader("Content-Type", "application/json");
  response->body = body;
}

void Ok(http::HttpResponse* response, const std::string& result) {
  Reply(response, 200, absl::StrCat("{\"ok\":true,\"result\":", result, "}"));
}

void Error(http::HttpResponse* response, int code, const std::string& description,
           int retry_after = 0) {
  std::string body = absl::StrCat("{\"ok\":false,\"error_code\":", code,
                                  ",\"description\":", Quoted(description));
  if (retry_after > 0) {
    absl::StrAppend(&body, ",\"parameters\":{\"retry_after\":", retry_after, "}");
  }
  Reply(response, code, body + "}");
}

std::string MessageJson(const FakeMessage& message) {
  return absl::StrCat("{\"message_id\":", message.message_id,
                      ",\"from\":{\"id\":1,\"is_bot\":true,\"first_name\":\"Clinic\"}"
                      ",\"chat\":{\"id\":",
                      message.chat_id, ",\"type\":\"private\"},\"date\":1700000000,\"text\":",
                      Quoted(message.text), "}");
}

std::string PersonJson(int64_t chat_id, const std::string& language_code) {
  return absl::StrCat("{\"id\":", chat_id,
                      ",\"is_bot\":false,\"first_name\":\"Pat\",\"language_code\":",
                      Quoted(language_code), "}");
}

// The buttons of a reply_markup, or an error description.
absl::StatusOr<std::vector<FakeButton>> Buttons(const Value* markup) {
  std::vector<FakeButton> buttons;
  if (markup == nullptr) return buttons;
  const Value* rows = Field(markup->struct_value(), "inline_keyboard");
  if (rows == nullptr || !rows->has_list_value()) {
    return absl::InvalidArgumentError("Bad Request: can't parse inline keyboard markup");
  }
  for (const Value& row : rows->list_value().values()) {
    if (!row.has_list_value()) {
      return absl::InvalidArgumentError("Bad Request: inline keyboard rows must be arrays");
    }
    for (const Value& button : row.list_value().values()) {
      const Value* text = Field(button.struct_value(), "text");
      const Value* data = Field(button.struct_value(), "callback_data");
      const Value* url = Field(button.struct_value(), "url");
      if (text == nullptr || text->string_value().empty()) {
        return absl::InvalidArgumentError("Bad Request: BUTTON_TEXT_INVALID");
      }
      // Exactly one of callback_data and url; a URL only http(s) or tg://.
      if (url != nullptr && data == nullptr) {
        const std::string& address = url->string_value();
        if (!absl::StartsWith(address, "https://") && !absl::StartsWith(address, "http://") &&
            !absl::StartsWith(address, "tg://")) {
          return absl::InvalidArgumentError("Bad Request: BUTTON_URL_INVALID");
        }
        buttons.push_back({text->string_value(), "", address});
        continue;
      }
      if (url != nullptr || data == nullptr || data->string_value().empty() ||
          data->string_value().size() > 64) {
        return absl::InvalidArgumentError("Bad Request: BUTTON_DATA_INVALID");
      }
      buttons.push_back({text->string_value(), data->string_value(), ""});
    }
  }
  return buttons;
}

}  // namespace

absl::StatusOr<std::unique_ptr<FakeBotApi>> FakeBotApi::Start(const std::string& token) {
  std::unique_ptr<FakeBotApi> api(new FakeBotApi());
  api->token_ = token;
  http::HttpServerOptions options;
  options.max_body_bytes = 1 << 20;
  auto server = http::HttpServer::Start(
      options, [a = api.get()](const http::HttpRequest& request, http::HttpResponse* response) {
        a->Handle(request, response);
      });
  if (!server.ok()) return server.status();
  api->server_ = *std::move(server);
  return api;
}

std::string FakeBotApi::base_url() const {
  return absl::StrCat("http://127.0.0.1:", server_->port());
}

int64_t FakeBotApi::AddUpdate(const std::string& fields_json) {
  absl::MutexLock lock(&mu_);
  const int64_t id = next_update_id_++;
  pending_.emplace_back(id, absl::StrCat("{\"update_id\":", id, ",", fields_json, "}"));
  return id;
}

int64_t FakeBotApi::SendText(int64_t chat_id, const std::string& text,
                             const std::string& language_code) {
  return AddUpdate(absl::StrCat("\"message\":{\"message_id\":", 900000 + chat_id % 1000,
                                ",\"from\":", PersonJson(chat_id, language_code),
                                ",\"chat\":{\"id\":", chat_id,
                                ",\"type\":\"private\"},\"date\":1700000000,\"text\":",
                                Quoted(text), "}"));
}

int64_t FakeBotApi::SendPhoto(int64_t chat_id) {
  return AddUpdate(absl::StrCat("\"message\":{\"message_id\":1,\"from\":", PersonJson(chat_id, "en"),
                                ",\"chat\":{\"id\":", chat_id,
                                ",\"type\":\"private\"},\"date\":1700000000,"
                                "\"photo\":[{\"file_id\":\"abc\",\"width\":90,\"height\":90}]}"));
}

int64_t FakeBotApi::SendRawUpdate(const std::string& fields_json) { return AddUpdate(fields_json); }

int64_t FakeBotApi::PressButton(int64_t chat_id, int64_t message_id, const std::string& data,
                                const std::string& language_code) {
  std::string message_json;
  std::string callback_id;
  {
    absl::MutexLock lock(&mu_);
    callback_id = absl::StrCat("cq", next_callback_++);
    open_callbacks_[callback_id] = true;
    FakeMessage message{message_id, chat_id, "", {}};
    for (const FakeMessage& sent : sent_) {
      if (sent.message_id == message_id) message = sent;
    }
    message_json = MessageJson(message);
  }
  return AddUpdate(absl::StrCat("\"callback_query\":{\"id\":", Quoted(callback_id),
                                ",\"from\":", PersonJson(chat_id, language_code),
                                ",\"message\":", message_json,
                                ",\"chat_instance\":\"42\",\"data\":", Quoted(data), "}"));
}

std::vector<FakeMessage> FakeBotApi::MessagesLocked(int64_t chat_id) const {
  std::vector<FakeMessage> messages;
  for (const FakeMessage& message : sent_) {
    if (message.chat_id == chat_id) messages.push_back(message);
  }
  return messages;
}

std::vector<FakeMessage> FakeBotApi::Messages(int64_t chat_id) const {
  absl::MutexLock lock(&mu_);
  return MessagesLocked(chat_id);
}

std::vector<FakeMessage> FakeBotApi::WaitFor(
    int64_t chat_id, const std::function<bool(const std::vector<FakeMessage>&)>& done,
    absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  // Evaluated whenever the fake's state may have changed: no polling, so
  // latency measured through the fake is not rounded up.
  auto ready = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return done(MessagesLocked(chat_id)); };
  mu_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  return MessagesLocked(chat_id);
}

std::vector<FakeMessage> FakeBotApi::WaitForCount(int64_t chat_id, size_t count,
                                                  absl::Duration timeout) const {
  return WaitFor(
      chat_id, [count](const std::vector<FakeMessage>& m) { return m.size() >= count; }, timeout);
}

std::vector<std::string> FakeBotApi::CallbackAnswers() const {
  absl::MutexLock lock(&mu_);
  return callback_answers_;
}

bool FakeBotApi::WaitForCallbackAnswers(size_t count, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return callback_answers_.size() >= count;
  };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

void FakeBotApi::FailNext(const std::string& method, int times, int status,
                          int retry_after_seconds) {
  absl::MutexLock lock(&mu_);
  failures_[method] = {times, status, retry_after_seconds};
}

int FakeBotApi::Calls(const std::string& method) const {
  absl::MutexLock lock(&mu_);
  const auto it = calls_.find(method);
  return it == calls_.end() ? 0 : it->second;
}

std::map<int64_t, int> FakeBotApi::Deliveries() const {
  absl::MutexLock lock(&mu_);
  return deliveries_;
}

std::string FakeBotApi::webhook_url() const {
  absl::MutexLock lock(&mu_);
  return webhook_url_;
}

std::string FakeBotApi::webhook_secret() const {
  absl::MutexLock lock(&mu_);
  return webhook_secret_;
}

void FakeBotApi::Handle(const http::HttpRequest& request, http::HttpResponse* response) {
  absl::string_view path = request.path;
  if (!absl::ConsumePrefix(&path, absl::StrCat("/bot", token_, "/"))) {
    Error(response, 401, "Unauthorized");
    return;
  }
  const std::string method(path);
  Struct body;
  if (!request.body.empty() &&
      !google::protobuf::util::JsonStringToMessage(request.body, &body).ok()) {
    Error(response, 400, "Bad Request: can't parse JSON");
    return;
  }
  absl::MutexLock lock(&mu_);
  ++calls_[method];
  if (auto it = failures_.find(method); it != failures_.end() && it->second.times > 0) {
    --it->second.times;
    if (it->second.status == 429) {
      Error(response, 429,
            absl::StrCat("Too Many Requests: retry after ", it->second.retry_after),
            it->second.retry_after);
    } else {
      Error(response, it->second.status, "Bad Gateway");
    }
    return;
  }
  // A number, or a string of digits: the Bot API reads both alike (any
  // parameter may come in a query string), and protobuf's JSON writes
  // 64-bit integers as strings.
  auto number = [&body](const std::string& name) -> int64_t {
    const Value* value = Field(body, name);
    if (value == nullptr) return 0;
    int64_t parsed = 0;
    if (value->has_string_value()) return absl::SimpleAtoi(value->string_value(), &parsed) ? parsed : 0;
    return static_cast<int64_t>(value->number_value());
  };
  auto text = [&body](const std::string& name) -> std::string {
    const Value* value = Field(body, name);
    return value == nullptr ? "" : value->string_value();
  };

  if (method == "getUpdates") {
    if (!webhook_url_.empty()) {
      Error(response, 409, "Conflict: can't use getUpdates method while webhook is active");
      return;
    }
    const int64_t offset = number("offset");
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                  [offset](const auto& update) { return update.first < offset; }),
                   pending_.end());
    auto has_updates = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !pending_.empty(); };
    const int64_t timeout = std::min<int64_t>(number("timeout"), 5);
    mu_.AwaitWithTimeout(absl::Condition(&has_updates), absl::Seconds(timeout));
    std::string result = "[";
    for (size_t i = 0; i < pending_.size() && i < 100; ++i) {
      if (i > 0) result += ",";
      result += pending_[i].second;
      ++deliveries_[pending_[i].first];
    }
    Ok(response, result + "]");
  } else if (method == "sendMessage") {
    FakeMessage message;
    message.chat_id = number("chat_id");
    message.text = text("text");
    const size_t length = chat::MessageLength(message.text);
    if (message.chat_id == 0 || length == 0 || length > 4096) {
      Error(response, 400,
            length > 4096 ? "Bad Request: message is too long" : "Bad Request: message text is empty");
      return;
    }
    absl::StatusOr<std::vector<FakeButton>> buttons = Buttons(Field(body, "reply_markup"));
    if (!buttons.ok()) {
      Error(response, 400, std::string(buttons.status().message()));
      return;
    }
    message.buttons = *std::move(buttons);
    message.message_id = next_message_id_++;
    sent_.push_back(message);
    Ok(response, MessageJson(message));
  } else if (method == "editMessageReplyMarkup") {
    for (FakeMessage& message : sent_) {
      if (message.chat_id != number("chat_id") || message.message_id != number("message_id")) {
        continue;
      }
      absl::StatusOr<std::vector<FakeButton>> buttons = Buttons(Field(body, "reply_markup"));
      if (!buttons.ok()) {
        Error(response, 400, std::string(buttons.status().message()));
        return;
      }
      bool same = buttons->size() == message.buttons.size();
      for (size_t i = 0; same && i < buttons->size(); ++i) {
        same = (*buttons)[i].text == message.buttons[i].text &&
               (*buttons)[i].data == message.buttons[i].data;
      }
      if (same) {
        Error(response, 400, "Bad Request: message is not modified");
        return;
      }
      message.buttons = *std::move(buttons);
      Ok(response, MessageJson(message));
      return;
    }
    Error(response, 400, "Bad Request: message to edit not found");
  } else if (method == "answerCallbackQuery") {
    const auto open = open_callbacks_.find(text("callback_query_id"));
    if (open == open_callbacks_.end() || !open->second) {
      Error(response, 400, "Bad Request: query is too old and response timeout expired");
      return;
    }
    open->second = false;
    callback_answers_.push_back(text("text"));
    Ok(response, "true");
  } else if (method == "setWebhook") {
    webhook_url_ = text("url");
    webhook_secret_ = text("secret_token");
    Ok(response, "true");
  } else if (method == "deleteWebhook") {
    webhook_url_.clear();
    Ok(response, "true");
  } else {
    Error(response, 404, "Not Found");
  }
}

}  // namespace backchat::testing
