#include "service/http/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/http/http_parser.h"

namespace backchat::http {
namespace {

constexpr size_t kReadChunk = 16 * 1024;

// What waiting for a socket ended with.
enum class Wait { kReady, kTimeout, kStopping, kError };

// Waits until `fd` is ready for `events` or `deadline` passes. The stop
// eventfd wakes every waiter at once when the server shuts down.
Wait WaitFor(int fd, short events, int stop_fd, absl::Time deadline) {
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return Wait::kTimeout;
    // Only reads are cut short by shutdown: a response being written is
    // finished, so a request that was handled is also answered.
    const bool watch_stop = events == POLLIN;
    pollfd fds[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
    const int timeout_ms =
        static_cast<int>(absl::ToInt64Milliseconds(left)) + 1;
    const int ready = poll(fds, watch_stop ? 2 : 1, timeout_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return Wait::kError;
    }
    if (watch_stop && fds[1].revents != 0) return Wait::kStopping;
    if (fds[0].revents & (events | POLLHUP | POLLERR)) return Wait::kReady;
  }
}

// One connection's bytes, over TCP or TLS. The socket is non-blocking:
// every operation is tried first, then waits (for reading, writing, or the
// server's stop) until its deadline. Owns the socket.
class Stream {
 public:
  Stream(int fd, int stop_fd, ssl_ctx_st* tls) : fd_(fd), stop_fd_(stop_fd) {
    if (tls != nullptr) {
      ssl_ = SSL_new(tls);
      if (ssl_ != nullptr) SSL_set_fd(ssl_, fd_);
    }
  }
  ~Stream() {
    if (ssl_ != nullptr) {
      SSL_shutdown(ssl_);  // best effort: a close_notify, never waited for
      SSL_free(ssl_);
    }
    close(fd_);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  bool tls() const { return ssl_ != nullptr; }

  // The TLS handshake (nothing for plain TCP).
  bool Handshake(absl::Time deadline) {
    if (ssl_ == nullptr) return true;
    while (true) {
      const int result = SSL_accept(ssl_);
      if (result == 1) return true;
      if (!WaitForTls(result, deadline)) return false;
    }
  }

  // Appends what is available to `buffer`. False on EOF, error, timeout or
  // shutdown (the connection is then closed).
  bool ReadSome(std::string* buffer, absl::Time deadline) {
    // A stack chunk, appended: growing the string first would zero-fill
    // 16 KiB per read (memset showed in perf).
    char chunk[kReadChunk];
    while (true) {
      if (ssl_ != nullptr) {
        const int n = SSL_read(ssl_, chunk, sizeof(chunk));
        if (n > 0) {
          buffer->append(chunk, static_cast<size_t>(n));
          return true;
        }
        if (!WaitForTls(n, deadline)) return false;
        continue;
      }
      const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n > 0) {
        buffer->append(chunk, static_cast<size_t>(n));
        return true;
      }
      if (n == 0) return false;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
      if (WaitFor(fd_, POLLIN, stop_fd_, deadline) != Wait::kReady) return false;
    }
  }

  bool WriteAll(absl::string_view data, absl::Time deadline) {
    while (!data.empty()) {
      if (ssl_ != nullptr) {
        const int n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
        if (n > 0) {
          data.remove_prefix(static_cast<size_t>(n));
        } else if (!WaitForTls(n, deadline)) {
          return false;
        }
        continue;
      }
      const ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
          WaitFor(fd_, POLLOUT, stop_fd_, deadline) == Wait::kReady) {
        continue;
      }
      return false;
    }
    return true;
  }

 private:
  // After an SSL call returned `result` <= 0: waits for what TLS wants.
  // False if the call failed for good, or the wait did.
  bool WaitForTls(int result, absl::Time deadline) {
    const int error = SSL_get_error(ssl_, result);
    ERR_clear_error();
    if (error == SSL_ERROR_WANT_READ) {
      return WaitFor(fd_, POLLIN, stop_fd_, deadline) == Wait::kReady;
    }
    if (error == SSL_ERROR_WANT_WRITE) {
      return WaitFor(fd_, POLLOUT, stop_fd_, deadline) == Wait::kReady;
    }
    return false;
  }

  const int fd_;
  const int stop_fd_;
  SSL* ssl_ = nullptr;
};

std::string PeerName(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (address.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
    port = ntohs(in->sin_port);
    return absl::StrCat(host, ":", port);
  }
  const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address);
  inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
  port = ntohs(in6->sin6_port);
  return absl::StrCat("[", host, "]:", port);
}

// Whether the client asked to keep the connection open after `request`.
bool WantsKeepAlive(const HttpRequest& request) {
  const std::string connection =
      absl::AsciiStrToLower(request.Header("connection"));
  if (request.minor_version == 0)
    return absl::StrContains(connection, "keep-alive");
  return !absl::StrContains(connection, "close");
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(
    const HttpServerOptions& options, HttpHandler handler) {
  sockaddr_storage address{};
  socklen_t address_size = 0;
  auto* in = reinterpret_cast<sockaddr_in*>(&address);
  auto* in6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (inet_pton(AF_INET, options.address.c_str(), &in->sin_addr) == 1) {
    in->sin_family = AF_INET;
    in->sin_port = htons(static_cast<uint16_t>(options.port));
    address_size = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, options.address.c_str(), &in6->sin6_addr) ==
             1) {
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<uint16_t>(options.port));
    address_size = sizeof(sockaddr_in6);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("HTTP address \"", options.address,
                     "\" is not an IPv4 or IPv6 address"));
  }
  auto server =
      std::unique_ptr<HttpServer>(new HttpServer(options, std::move(handler)));
  server->listen_fd_ = socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  setsockopt(server->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (server->listen_fd_ < 0 ||
      bind(server->listen_fd_, reinterpret_cast<sockaddr*>(&address),
           address_size) != 0 ||
      listen(server->listen_fd_, 128) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for HTTP on ", options.address, ":",
                     options.port, ": ", strerror(errno)));
  }
  getsockname(server->listen_fd_, reinterpret_cast<sockaddr*>(&address),
              &address_size);
  server->port_ =
      ntohs(address.ss_family == AF_INET ? in->sin_port : in6->sin6_port);
  server->stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  server->acceptor_ = std::thread([s = server.get()] { s->AcceptLoop(); });
  return server;
}

HttpServer::~HttpServer() {
  Shutdown();
  if (listen_fd_ >= 0) close(listen_fd_);
  if (stop_fd_ >= 0) close(stop_fd_);
}

void HttpServer::Shutdown() {
  if (stopping_.exchange(true)) {
    // A second caller still waits for the first to finish.
  } else {
    const uint64_t one = 1;
    // Left unread, so it stays readable and wakes every waiter.
    if (write(stop_fd_, &one, sizeof(one)) < 0) {
      // An eventfd write only fails on overflow, which one write cannot cause.
    }
  }
  if (acceptor_.joinable() &&
      acceptor_.get_id() != std::this_thread::get_id()) {
    acceptor_.join();
  }
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](int* open) { return *open == 0; }, &open_connections_));
}

void HttpServer::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents != 0) break;
    sockaddr_storage peer{};
    socklen_t peer_size = sizeof(peer);
    const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer),
                           &peer_size, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) continue;  // the peer gave up, or out of descriptors: retry
    const int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    bool admitted = false;
    {
      absl::MutexLock lock(&mu_);
      if (open_connections_ < options_.max_connections) {
        ++open_connections_;
        admitted = true;
      }
    }
    if (!admitted) {
      // Over TLS there is no handshake yet to answer in: just close.
      Stream refused(fd, stop_fd_, nullptr);
      if (options_.tls == nullptr) {
        refused.WriteAll(SerializeResponse(PlainTextResponse(503, "too many connections; try again"),
                                           /*keep_alive=*/false),
                         absl::Now() + absl::Seconds(1));
      }
      continue;
    }
    std::thread(&HttpServer::ServeConnection, this, fd, PeerName(peer))
        .detach();
  }
}

void HttpServer::ServeConnection(int fd, std::string peer) {
  Serve(fd, std::move(peer));
  absl::MutexLock lock(&mu_);
  --open_connections_;
}

void HttpServer::Serve(int fd, std::string peer) {
  Stream stream(fd, stop_fd_, options_.tls.get());
  if (!stream.Handshake(absl::Now() + options_.request_timeout)) return;
  std::string buffer;
  bool keep_alive = true;
  while (keep_alive && !stopping_.load()) {
    // Wait for a request to start (idle), then for it to arrive whole.
    if (buffer.empty() && !stream.ReadSome(&buffer, absl::Now() + options_.idle_timeout)) {
      break;
    }
    const absl::Time deadline = absl::Now() + options_.request_timeout;
    HttpRequest request;
    request.peer = peer;
    HeadParse head;
    while ((head = ParseRequestHead(buffer, options_.max_head_bytes, &request))
               .result == HeadParse::Result::kIncomplete) {
      if (!stream.ReadSome(&buffer, deadline)) {
        head.result = HeadParse::Result::kError;
        break;
      }
    }
    if (head.result == HeadParse::Result::kError) {
      if (head.error_status != 0) {
        stream.WriteAll(SerializeResponse(PlainTextResponse(head.error_status, head.error), false),
                        absl::Now() + absl::Seconds(1));
      }
      break;
    }
    if (head.content_length > options_.max_body_bytes) {
      stream.WriteAll(SerializeResponse(PlainTextResponse(
                                            413, absl::StrCat("request body is longer than ",
                                                              options_.max_body_bytes, " bytes")),
                                        false),
                      absl::Now() + absl::Seconds(1));
      break;
    }
    const size_t request_bytes = head.head_bytes + head.content_length;
    bool complete = true;
    while (buffer.size() < request_bytes) {
      if (!stream.ReadSome(&buffer, deadline)) {
        complete = false;
        break;
      }
    }
    if (!complete) break;  // timed out, closed or shutting down mid-request
    request.body = buffer.substr(head.head_bytes, head.content_length);
    buffer.erase(0, request_bytes);

    HttpResponse response;
    handler_(request, &response);
    keep_alive = WantsKeepAlive(request) && !stopping_.load();
    if (!stream.WriteAll(SerializeResponse(response, keep_alive),
                         absl::Now() + options_.request_timeout)) {
      break;
    }
  }
}

}  // namespace backchat::http
