#include "client/bots/sms/twilio_messages.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/bots/http_post.h"

namespace backchat::sms {

std::string FormEncode(absl::string_view value) {
  std::string out;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(c);
    } else {
      absl::StrAppendFormat(&out, "%%%02X", byte);
    }
  }
  return out;
}

absl::Status SendSms(const TwilioAccount& account, absl::string_view to, absl::string_view body) {
  bots::HttpPostRequest request;
  request.url = absl::StrCat(account.api_base_url, "/2010-04-01/Accounts/",
                             FormEncode(account.account_sid), "/Messages.json");
  request.content_type = "application/x-www-form-urlencoded";
  request.body = absl::StrCat("To=", FormEncode(to), "&From=", FormEncode(account.from),
                              "&Body=", FormEncode(body));
  request.basic_auth = absl::StrCat(account.account_sid, ":", account.auth_token);
  return bots::SendOutcome("Twilio Messages", bots::HttpPost(request));
}

}  // namespace backchat::sms
