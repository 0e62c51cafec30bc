#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace backchat::testing {

std::string HttpReply::Header(absl::string_view lower_case_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_case_name) return value;
  }
  return "";
}

namespace {

// Parses a response once it is complete; false while more bytes are needed.
// `used` receives the bytes the response took.
bool TryParse(const std::string& data, bool eof, HttpReply* reply,
              size_t* used) {
  const size_t end = data.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::vector<std::string> lines = absl::StrSplit(data.substr(0, end), "\r\n");
  std::vector<std::string> status_line = absl::StrSplit(lines[0], ' ');
  if (status_line.size() < 2 ||
      !absl::SimpleAtoi(status_line[1], &reply->status)) {
    return false;
  }
  reply->headers.clear();
  long content_length = -1;
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
    std::string value(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
    if (name == "content-length") absl::SimpleAtoi(value, &content_length);
    reply->headers.emplace_back(std::move(name), std::move(value));
  }
  const size_t body_start = end + 4;
  if (content_length >= 0) {
    if (data.size() < body_start + static_cast<size_t>(content_length))
      return false;
    reply->body = data.substr(body_start, static_cast<size_t>(content_length));
    *used = body_start + static_cast<size_t>(content_length);
    return true;
  }
  if (!eof) return false;
  reply->body = data.substr(body_start);
  *used = data.size();
  return true;
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpConnection>> HttpConnection::Open(int port,
                                                                   const std::string& source) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  if (inet_pton(AF_INET, source.c_str(), &local.sin_addr) != 1 ||
      bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
    close(fd);
    return absl::UnavailableError(absl::StrCat("cannot bind to ", source));
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd);
    return absl::UnavailableError(
        absl::StrCat("cannot connect to port ", port));
  }
  const int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
  return std::unique_ptr<HttpConnection>(new HttpConnection(fd));
}

HttpConnection::~HttpConnection() { close(fd_); }

absl::StatusOr<HttpReply> HttpConnection::Exchange(absl::string_view raw) {
  size_t sent = 0;
  while (sent < raw.size()) {
    const ssize_t n =
        send(fd_, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0)
      break;  // the server may answer (413, 431) before reading it all
    sent += static_cast<size_t>(n);
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  std::string data = std::move(pending_);
  pending_.clear();
  HttpReply reply;
  size_t used = 0;
  if (TryParse(data, false, &reply, &used)) {
    pending_ = data.substr(used);
    return reply;
  }
  char buffer[16384];
  while (absl::Now() < deadline) {
    pollfd p = {fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = recv(fd_, buffer, sizeof(buffer), 0);
    if (n > 0) data.append(buffer, static_cast<size_t>(n));
    if (TryParse(data, n <= 0, &reply, &used)) {
      pending_ = data.substr(used);
      return reply;
    }
    if (n <= 0) break;
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "no complete HTTP response; received: ", absl::CEscape(data)));
}

absl::StatusOr<HttpReply> SendRawHttp(int port, absl::string_view raw) {
  auto connection = HttpConnection::Open(port);
  if (!connection.ok()) return connection.status();
  return (*connection)->Exchange(raw);
}

absl::StatusOr<HttpReply> PostHttp(
    int port, absl::string_view path, absl::string_view content_type,
    absl::string_view body, const std::vector<std::string>& extra_headers) {
  std::string raw =
      absl::StrCat("POST ", path, " HTTP/1.1\r\nHost: 127.0.0.1:", port,
                   "\r\nContent-Type: ", content_type,
                   "\r\nContent-Length: ", body.size(), "\r\n");
  for (const std::string& header : extra_headers)
    absl::StrAppend(&raw, header, "\r\n");
  absl::StrAppend(&raw, "Connection: close\r\n\r\n", body);
  return SendRawHttp(port, raw);
}

}  // namespace backchat::testing
