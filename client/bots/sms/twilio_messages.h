// Sending an SMS through Twilio's REST API (the check-ins; replies to an
// incoming SMS go back as TwiML instead): POST
// {api_base_url}/2010-04-01/Accounts/{AccountSid}/Messages.json with the
// form fields To, From and Body, under HTTP Basic auth AccountSid:AuthToken.
// Twilio answers 201 with the message's JSON.
#ifndef BACKCHAT_CLIENT_BOTS_SMS_TWILIO_MESSAGES_H_
#define BACKCHAT_CLIENT_BOTS_SMS_TWILIO_MESSAGES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace backchat::sms {

struct TwilioAccount {
  std::string api_base_url = "https://api.twilio.com";
  std::string account_sid;
  std::string auth_token;
  std::string from;  // the clinic's Twilio number, E.164
};

// As bots::SendOutcome: OK once Twilio took it; UNAVAILABLE to try again.
absl::Status SendSms(const TwilioAccount& account, absl::string_view to, absl::string_view body);

// application/x-www-form-urlencoded for one value (RFC 3986 unreserved
// characters kept, everything else %XX).
std::string FormEncode(absl::string_view value);

}  // namespace backchat::sms

#endif  // BACKCHAT_CLIENT_BOTS_SMS_TWILIO_MESSAGES_H_
