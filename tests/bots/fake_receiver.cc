#include "tests/bots/fake_receiver.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace backchat::testing {

absl::StatusOr<std::unique_ptr<FakeReceiver>> FakeReceiver::Start(int status, std::string body) {
  std::unique_ptr<FakeReceiver> receiver(new FakeReceiver());
  receiver->status_ = status;
  receiver->body_ = std::move(body);
  http::HttpServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  auto server = http::HttpServer::Start(
      options, [r = receiver.get()](const http::HttpRequest& request,
                                    http::HttpResponse* response) { r->Handle(request, response); });
  if (!server.ok()) return server.status();
  receiver->server_ = *std::move(server);
  return receiver;
}

std::string FakeReceiver::base_url() const {
  return absl::StrCat("http://127.0.0.1:", server_->port());
}

void FakeReceiver::FailNext(int times, int status) {
  absl::MutexLock lock(&mu_);
  failures_left_ = times;
  failure_status_ = status;
}

void FakeReceiver::Handle(const http::HttpRequest& request, http::HttpResponse* response) {
  absl::MutexLock lock(&mu_);
  ++received_;
  response->SetHeader("Content-Type", "application/json");
  if (failures_left_ > 0) {
    --failures_left_;
    response->status = failure_status_;
    response->body = "{\"message\":\"failing on purpose\"}";
    return;
  }
  taken_.push_back(request);
  response->status = status_;
  response->body = body_;
}

std::vector<http::HttpRequest> FakeReceiver::Taken() const {
  absl::MutexLock lock(&mu_);
  return taken_;
}

int FakeReceiver::Received() const {
  absl::MutexLock lock(&mu_);
  return received_;
}

std::vector<http::HttpRequest> FakeReceiver::WaitForTaken(size_t count,
                                                          absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  const auto enough = [this, count]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return taken_.size() >= count;
  };
  mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
  return taken_;
}

std::string HeaderOf(const http::HttpRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

}  // namespace backchat::testing
