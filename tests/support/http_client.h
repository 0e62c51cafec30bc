// A minimal HTTP/1.1 client for tests: sends bytes exactly as given (so
// tests can send malformed requests) and reads one response.
#ifndef BACKCHAT_TESTS_SUPPORT_HTTP_CLIENT_H_
#define BACKCHAT_TESTS_SUPPORT_HTTP_CLIENT_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backchat::testing {

struct HttpReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>>
      headers;  // names lower-cased
  std::string body;
  std::string Header(absl::string_view lower_case_name) const;
};

// One kept-alive connection to 127.0.0.1:`port`, for several exchanges
// (the load generator's Connect mode). Not thread-safe; closes on destruction.
class HttpConnection {
 public:
  // `source`: the local address to connect from (any of 127.0.0.0/8
  // works on loopback), so a test can be several clients.
  static absl::StatusOr<std::unique_ptr<HttpConnection>> Open(
      int port, const std::string& source = "127.0.0.1");
  ~HttpConnection();
  // Sends `raw` and reads one response (by Content-Length, or to EOF).
  // Fails after 10 s.
  absl::StatusOr<HttpReply> Exchange(absl::string_view raw);

 private:
  explicit HttpConnection(int fd) : fd_(fd) {}
  int fd_;
  std::string pending_;  // bytes read past the previous response
};

// Opens a connection, sends `raw` and reads the response.
absl::StatusOr<HttpReply> SendRawHttp(int port, absl::string_view raw);

// A POST with Content-Type and Content-Length set, plus `extra_headers`
// ("Name: value" lines without CRLF).
absl::StatusOr<HttpReply> PostHttp(
    int port, absl::string_view path, absl::string_view content_type,
    absl::string_view body, const std::vector<std::string>& extra_headers = {});

}  // namespace backchat::testing

#endif  // BACKCHAT_TESTS_SUPPORT_HTTP_CLIENT_H_
