// Twilio's request signature (X-Twilio-Signature), as Twilio documents it:
// base64 of HMAC-SHA1, keyed by the account's auth token, over the full URL
// Twilio called followed by every POST field's name and value, the fields
// sorted by name, with nothing between them.
#ifndef BACKCHAT_CLIENT_BOTS_SMS_TWILIO_SIGNATURE_H_
#define BACKCHAT_CLIENT_BOTS_SMS_TWILIO_SIGNATURE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "service/common/http/form_urlencoded.h"

namespace backchat::sms {

std::string TwilioSignature(absl::string_view auth_token, absl::string_view url,
                            const http::FormFields& fields);

// Whether `signature` (the header's value) is right, compared in constant
// time. An empty signature is never right.
bool TwilioSignatureValid(absl::string_view auth_token, absl::string_view url,
                          const http::FormFields& fields, absl::string_view signature);

}  // namespace backchat::sms

#endif  // BACKCHAT_CLIENT_BOTS_SMS_TWILIO_SIGNATURE_H_
