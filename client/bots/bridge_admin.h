// The bridges' admin endpoint: forgets a person's chat on request (a
// privacy request), beside each bridge's webhook.
//
//   POST /admin/forget   Authorization: Bearer <--admin_token_file>
//   {"user": "<the platform's id: a phone number, a chat id, a user id>"}
//   -> {"forgotten": true, "sessionId": "..."}   (false if there was none)
//
// The BackChat session itself is deleted with the server's
// AdminService.DeleteSession and the returned session id.
#ifndef BACKCHAT_CLIENT_BOTS_BRIDGE_ADMIN_H_
#define BACKCHAT_CLIENT_BOTS_BRIDGE_ADMIN_H_

#include <functional>
#include <string>

#include "client/chat/chat_conversations.h"
#include "service/common/http/http_message.h"

namespace backchat::bots {

// Turns the platform's id of a person into the chat key the bridge stores.
using ChatKeyOf = std::function<std::string(const std::string& user)>;

class BridgeAdmin {
 public:
  // `token` empty: the endpoint answers 404 (not configured).
  BridgeAdmin(chat::ChatConversations* conversations, std::string token, ChatKeyOf chat_key_of)
      : conversations_(conversations), token_(std::move(token)),
        chat_key_of_(std::move(chat_key_of)) {}

  static bool IsAdminPath(const http::HttpRequest& request) {
    return request.path == "/admin/forget";
  }
  // 200 as above; 401 without the token; 400 for a body without "user";
  // 404 when no token is configured; 405 for other methods.
  void Handle(const http::HttpRequest& request, http::HttpResponse* response) const;

 private:
  chat::ChatConversations* conversations_;
  const std::string token_;
  const ChatKeyOf chat_key_of_;
};

}  // namespace backchat::bots

#endif  // BACKCHAT_CLIENT_BOTS_BRIDGE_ADMIN_H_
