// The webhook bridge's check-ins, sent to the integrator's callback URL
// (--callback_url): POST application/json
//   {"user": "<the id the integrator posted>", "checkIn": true,
//    "messages": ["How is your back now?\n1. Better ..."],
//    "options": [{"number": 1, "label": "Better"}, ...]}
// signed with the webhook's token: "X-BackChat-Signature: sha256=<hex of
// HMAC-SHA256(token, body)>". The integrator shows it to the person and
// posts the answer to /v1/messages as any other message.
#ifndef BACKCHAT_CLIENT_BOTS_WEBHOOK_CALLBACK_SENDER_H_
#define BACKCHAT_CLIENT_BOTS_WEBHOOK_CALLBACK_SENDER_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace backchat::webhook {

// The body above, for `user` in `locale`.
std::string CheckInCallbackBody(absl::string_view user, absl::string_view locale);
// "sha256=<hex>" for `body` under `token`.
std::string CallbackSignature(absl::string_view token, absl::string_view body);

// Posts the check-in; as bots::SendOutcome (2xx OK, 429/5xx UNAVAILABLE).
absl::Status SendCheckInCallback(const std::string& callback_url, const std::string& token,
                                 absl::string_view user, absl::string_view locale);

}  // namespace backchat::webhook

#endif  // BACKCHAT_CLIENT_BOTS_WEBHOOK_CALLBACK_SENDER_H_
