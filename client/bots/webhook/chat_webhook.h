// The generic chat webhook: POST /v1/messages with {user, text, locale},
// answered with the messages and options to show (chat_webhook.proto).
#ifndef BACKCHAT_CLIENT_BOTS_WEBHOOK_CHAT_WEBHOOK_H_
#define BACKCHAT_CLIENT_BOTS_WEBHOOK_CHAT_WEBHOOK_H_

#include <string>

#include "client/chat/check_ins.h"
#include "service/common/http/http_message.h"

namespace backchat::webhook {

struct ChatWebhookOptions {
  std::string token;     // callers send "Authorization: Bearer <token>"
  std::string user_key;  // keys the hash that stands for each user id
  // Messages are split to this length (Messenger's limit is 2000).
  size_t max_message_length = 2000;
};

// Thread-safe (called on the HTTP server's connection threads).
class ChatWebhook {
 public:
  ChatWebhook(chat::CheckIns* check_ins, ChatWebhookOptions options)
      : check_ins_(check_ins), options_(std::move(options)) {}

  // 200 with a ChatWebhookResponse as JSON. 503 with the "try again"
  // message and Retry-After when BackChat is unreachable: nothing was
  // done, so the caller should post the same message again. 401 without
  // the right token; 400 for a body that is not a ChatWebhookRequest (the
  // message says what is wrong) or has no user; 404, 405 and 415 for the
  // wrong path, method or content type.
  void Handle(const http::HttpRequest& request, http::HttpResponse* response);

 private:
  chat::CheckIns* check_ins_;
  const ChatWebhookOptions options_;
};

}  // namespace backchat::webhook

#endif  // BACKCHAT_CLIENT_BOTS_WEBHOOK_CHAT_WEBHOOK_H_
