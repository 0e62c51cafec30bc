// Calls of Telegram's Bot API: POST {base_url}/bot{token}/{method} with a
// JSON body, through bots::HttpPoster (HTTPS, certificates verified; plain
// HTTP only for tests' fakes on loopback).
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_BOT_API_CLIENT_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_BOT_API_CLIENT_H_

#include <atomic>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/bots/http_post.h"

namespace backchat::telegram {

struct BotApiReply {
  int http_status = 0;
  std::string body;        // the JSON answer
  bool ok = false;         // Telegram's "ok"
  int error_code = 0;      // when not ok
  std::string description;
  absl::Duration retry_after = absl::ZeroDuration();  // with 429

  // Worth sending again: flood control (429, after retry_after) or a
  // server error (5xx). Other errors (400 bad request, 403 blocked by the
  // person) will fail again.
  bool Retryable() const { return http_status == 429 || http_status >= 500; }
};

// How a failed call is logged: "429 Too Many Requests: ...", or why no
// answer came.
std::string FailureOf(const absl::StatusOr<BotApiReply>& reply);

// One connection, reused; not thread-safe: each thread has its own client.
class BotApiClient {
 public:
  // `stop`: when it becomes true, a call in progress (a long poll) is
  // abandoned within about a second. Null: calls always run to the end
  // (or their timeout), for calls whose effect must be known.
  BotApiClient(std::string base_url, std::string token, const std::atomic<bool>* stop)
      : base_url_(std::move(base_url)), token_(std::move(token)), poster_(stop) {}

  // UNAVAILABLE when no HTTP answer came (connection refused, timeout,
  // TLS failure, stopped): the message says why, without the token.
  // Otherwise the reply, whatever its status.
  absl::StatusOr<BotApiReply> Call(const std::string& method, const std::string& json,
                                   absl::Duration timeout);

 private:
  const std::string base_url_;
  const std::string token_;
  bots::HttpPoster poster_;
};

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_BOT_API_CLIENT_H_
