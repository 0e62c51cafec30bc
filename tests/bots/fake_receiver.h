// A fake HTTP receiver on loopback for what the bridges send out on their
// own: Twilio's REST Messages API (201 with the message's JSON, "sid") and
// an integrator's callback URL (200). Records every POST; fails the next
// ones on demand.
#ifndef BACKCHAT_TESTS_BOTS_FAKE_RECEIVER_H_
#define BACKCHAT_TESTS_BOTS_FAKE_RECEIVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/common/http/http_server.h"

namespace backchat::testing {

class FakeReceiver {
 public:
  // Answers `status` with `body` (JSON) once the failures are used up.
  static absl::StatusOr<std::unique_ptr<FakeReceiver>> Start(int status, std::string body);

  std::string base_url() const;  // http://127.0.0.1:PORT
  // The next `times` requests are answered `status`, with nothing kept.
  void FailNext(int times, int status);
  // Requests taken (not failed), in order; and all, failed ones included.
  std::vector<http::HttpRequest> Taken() const;
  int Received() const;
  // Waits (bounded) until `count` requests were taken; returns them.
  std::vector<http::HttpRequest> WaitForTaken(size_t count,
                                              absl::Duration timeout = absl::Seconds(20)) const;

 private:
  FakeReceiver() = default;
  void Handle(const http::HttpRequest& request, http::HttpResponse* response);

  int status_ = 200;
  std::string body_;
  std::unique_ptr<http::HttpServer> server_;
  mutable absl::Mutex mu_;
  int failures_left_ ABSL_GUARDED_BY(mu_) = 0;
  int failure_status_ ABSL_GUARDED_BY(mu_) = 503;
  int received_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<http::HttpRequest> taken_ ABSL_GUARDED_BY(mu_);
};

// The header's value ("" if absent), its name in any case.
std::string HeaderOf(const http::HttpRequest& request, const std::string& name);

}  // namespace backchat::testing

#endif  // BACKCHAT_TESTS_BOTS_FAKE_RECEIVER_H_
