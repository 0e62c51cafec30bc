// One outgoing HTTPS POST (libcurl: certificates verified, no redirects;
// plain http only for tests' fakes on loopback): how the bridges send a
// check-in through Twilio's REST API or to an integrator's callback URL.
#ifndef BACKCHAT_CLIENT_BOTS_HTTP_POST_H_
#define BACKCHAT_CLIENT_BOTS_HTTP_POST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace backchat::bots {

struct HttpPostRequest {
  std::string url;
  std::string content_type;
  std::string body;
  std::vector<std::string> headers;  // "Name: value"
  std::string basic_auth;            // "user:password", or empty
  absl::Duration timeout = absl::Seconds(30);
};

struct HttpPostReply {
  int status = 0;
  std::string body;
};

// UNAVAILABLE when no HTTP answer came (the message is curl's, without the
// URL's path or credentials); otherwise the answer, whatever its status.
absl::StatusOr<HttpPostReply> HttpPost(const HttpPostRequest& request);

// What a check-in sender returns for an answer (check_in_scheduler.h):
// 2xx OK; 429 and 5xx UNAVAILABLE (try again); others FAILED_PRECONDITION.
absl::Status SendOutcome(absl::string_view what, const absl::StatusOr<HttpPostReply>& reply);

}  // namespace backchat::bots

#endif  // BACKCHAT_CLIENT_BOTS_HTTP_POST_H_
