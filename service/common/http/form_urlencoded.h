// application/x-www-form-urlencoded bodies (HTML forms; Twilio's webhooks).
#ifndef BACKCHAT_SERVICE_COMMON_HTTP_FORM_URLENCODED_H_
#define BACKCHAT_SERVICE_COMMON_HTTP_FORM_URLENCODED_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backchat::http {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// The name=value pairs of `body` in order, '+' read as a space and %XX
// decoded (names too). Empty pairs ("a=1&&b=2") are skipped; a pair without
// '=' is a name with an empty value. INVALID_ARGUMENT, saying where, for a
// '%' not followed by two hex digits.
absl::StatusOr<FormFields> ParseFormUrlencoded(absl::string_view body);

// The value of the first field called `name`, or "" when there is none.
std::string FormValue(const FormFields& fields, absl::string_view name);

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_COMMON_HTTP_FORM_URLENCODED_H_
