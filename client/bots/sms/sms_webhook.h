// The SMS bridge's webhook: Twilio POSTs each incoming SMS here and sends
// the TwiML reply back to the sender.
#ifndef BACKCHAT_CLIENT_BOTS_SMS_SMS_WEBHOOK_H_
#define BACKCHAT_CLIENT_BOTS_SMS_SMS_WEBHOOK_H_

#include <string>

#include "client/chat/check_ins.h"
#include "service/common/http/http_message.h"

namespace backchat::sms {

struct SmsWebhookOptions {
  std::string path = "/sms";  // where the webhook is served
  // The URL configured in Twilio for this webhook, exactly (scheme, host,
  // path): Twilio signs the URL it called, which behind a proxy is not the
  // one this process sees.
  std::string public_url;
  std::string auth_token;  // the Twilio account's; keys the signature
  std::string phone_key;   // keys the hash that stands for each number
  // Twilio's limit for one message body.
  size_t max_message_length = 1600;
};

// Thread-safe (called on the HTTP server's connection threads).
class SmsWebhook {
 public:
  SmsWebhook(chat::CheckIns* check_ins, SmsWebhookOptions options)
      : check_ins_(check_ins), options_(std::move(options)) {}

  // POST `path` with a form body signed by Twilio: 200 with TwiML, also
  // when BackChat is unreachable (the reply asks the person to try again).
  // 403 for a missing or wrong X-Twilio-Signature; 400 for a malformed
  // body or no From; 404, 405 and 415 for the wrong path, method or type.
  void Handle(const http::HttpRequest& request, http::HttpResponse* response);

 private:
  chat::CheckIns* check_ins_;
  const SmsWebhookOptions options_;
};

}  // namespace backchat::sms

#endif  // BACKCHAT_CLIENT_BOTS_SMS_SMS_WEBHOOK_H_
