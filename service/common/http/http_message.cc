#include "service/common/http/http_message.h"

#include "absl/strings/str_cat.h"

namespace backchat::http {

absl::string_view HttpRequest::Header(absl::string_view lower_case_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_case_name) return value;
  }
  return "";
}

bool HttpRequest::HasHeader(absl::string_view lower_case_name) const {
  for (const auto& header : headers) {
    if (header.first == lower_case_name) return true;
  }
  return false;
}

HttpResponse PlainTextResponse(int status, absl::string_view text) {
  HttpResponse response;
  response.status = status;
  response.SetHeader("Content-Type", "text/plain; charset=utf-8");
  response.body = absl::StrCat(text, "\n");
  return response;
}

}  // namespace backchat::http
