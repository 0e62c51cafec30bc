#include "client/bots/sms/twilio_signature.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "client/chat/secrets.h"

namespace backchat::sms {

std::string TwilioSignature(absl::string_view auth_token, absl::string_view url,
                            const http::FormFields& fields) {
  http::FormFields sorted = fields;
  // By name, then value: a repeated name is signed in value order.
  std::sort(sorted.begin(), sorted.end());
  std::string data(url);
  for (const auto& [name, value] : sorted) data.append(name).append(value);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  return absl::Base64Escape(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

bool TwilioSignatureValid(absl::string_view auth_token, absl::string_view url,
                          const http::FormFields& fields, absl::string_view signature) {
  if (signature.empty()) return false;
  return chat::ConstantTimeEquals(TwilioSignature(auth_token, url, fields), signature);
}

}  // namespace backchat::sms
