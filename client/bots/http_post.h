// Outgoing HTTPS POSTs (libcurl: certificates verified, no redirects;
// plain http only for tests' fakes on loopback): how the bridges call
// Telegram's Bot API and send a check-in through Twilio's REST API or to an
// integrator's callback URL. The one place the bridges set libcurl up.
#ifndef BACKCHAT_CLIENT_BOTS_HTTP_POST_H_
#define BACKCHAT_CLIENT_BOTS_HTTP_POST_H_

#include <atomic>
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

// One libcurl handle, reused from post to post (its connection kept
// alive); not thread-safe: each thread has its own.
class HttpPoster {
 public:
  // `stop`: when it turns true, a post in progress is abandoned within
  // about a second (a long poll at shutdown). Null: posts always run to
  // the end or their timeout, for posts whose effect must be known.
  explicit HttpPoster(const std::atomic<bool>* stop = nullptr);
  ~HttpPoster();
  HttpPoster(const HttpPoster&) = delete;
  HttpPoster& operator=(const HttpPoster&) = delete;

  // UNAVAILABLE when no HTTP answer came (the message is curl's, without
  // the URL's path or credentials); otherwise the answer, whatever its
  // status.
  absl::StatusOr<HttpPostReply> Post(const HttpPostRequest& request);

 private:
  const std::atomic<bool>* stop_;
  void* curl_;  // CURL*
};

// One post on a handle of its own, as HttpPoster::Post.
absl::StatusOr<HttpPostReply> HttpPost(const HttpPostRequest& request);

// What a check-in sender returns for an answer (check_in_scheduler.h):
// 2xx OK; 429 and 5xx UNAVAILABLE (try again); others FAILED_PRECONDITION.
absl::Status SendOutcome(absl::string_view what, const absl::StatusOr<HttpPostReply>& reply);

}  // namespace backchat::bots

#endif  // BACKCHAT_CLIENT_BOTS_HTTP_POST_H_
