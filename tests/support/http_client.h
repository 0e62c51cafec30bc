// A minimal HTTP/1.1 client for tests: sends bytes exactly as given (so
// tests can send malformed requests) and reads one response.
#ifndef BACKCHAT_TESTS_SUPPORT_HTTP_CLIENT_H_
#define BACKCHAT_TESTS_SUPPORT_HTTP_CLIENT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backchat::testing {

struct HttpReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string Header(absl::string_view lower_case_name) const;
};

// Connects to 127.0.0.1:`port`, sends `raw`, and reads the response (by
// Content-Length, or to EOF). Fails after 10 s.
absl::StatusOr<HttpReply> SendRawHttp(int port, absl::string_view raw);

// A POST with Content-Type and Content-Length set, plus `extra_headers`
// ("Name: value" lines without CRLF).
absl::StatusOr<HttpReply> PostHttp(int port, absl::string_view path,
                                   absl::string_view content_type,
                                   absl::string_view body,
                                   const std::vector<std::string>& extra_headers = {});

}  // namespace backchat::testing

#endif  // BACKCHAT_TESTS_SUPPORT_HTTP_CLIENT_H_
