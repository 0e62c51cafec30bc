// An HTTP/1.1 request and response as the gateway sees them: the head
// parsed, the body whole and de-chunked (requests are size-limited before
// they are read). The wire format is http_codec.h's job.
#ifndef BACKCHAT_SERVICE_COMMON_HTTP_HTTP_MESSAGE_H_
#define BACKCHAT_SERVICE_COMMON_HTTP_HTTP_MESSAGE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace backchat::http {

struct HttpRequest {
  std::string
      method;         // "GET", "POST", ... as sent (methods are case-sensitive)
  std::string path;   // the target up to '?', not percent-decoded
  std::string query;  // after '?', may be empty
  int minor_version = 1;  // HTTP/1.<minor_version>
  // Names lower-cased; values with surrounding blanks removed; in order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string peer;  // "127.0.0.1:53122", for logs and limits

  // The first header called `lower_case_name`, or "" when absent.
  absl::string_view Header(absl::string_view lower_case_name) const;
  bool HasHeader(absl::string_view lower_case_name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// A text/plain response: `text` and a newline.
HttpResponse PlainTextResponse(int status, absl::string_view text);

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_COMMON_HTTP_HTTP_MESSAGE_H_
