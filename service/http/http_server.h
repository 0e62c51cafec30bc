// A small HTTP/1.1 server: one thread per connection, a cap on connections,
// keep-alive, strict request parsing and size limits. It exists so browsers
// can reach BackChat without a proxy (see web_gateway.h); it is not a
// general-purpose web server.
#ifndef BACKCHAT_SERVICE_HTTP_HTTP_SERVER_H_
#define BACKCHAT_SERVICE_HTTP_HTTP_SERVER_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/http/http_message.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace backchat::http {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  int port = 0;  // 0 picks a free port; see HttpServer::port()
  // Connections beyond this get 503 and are closed at once.
  int max_connections = 256;
  size_t max_head_bytes = 16 * 1024;  // larger heads get 431
  size_t max_body_bytes = 64 * 1024;  // larger bodies get 413, unread
  // A request must arrive whole within this, once its first byte has.
  absl::Duration request_timeout = absl::Seconds(10);
  // A kept-alive connection with no request for this long is closed.
  absl::Duration idle_timeout = absl::Seconds(30);
  // HTTPS with this context (certificate and key loaded, see
  // security/tls_files.h); plain HTTP when null. The TLS handshake must
  // finish within request_timeout.
  std::shared_ptr<ssl_ctx_st> tls;
};

// Called once per well-formed request, on the connection's thread; must be
// thread-safe. Malformed requests never reach it: the server answers them.
using HttpHandler = std::function<void(const HttpRequest&, HttpResponse*)>;

class HttpServer {
 public:
  // Binds, listens and starts accepting. UNAVAILABLE if the address cannot
  // be bound, INVALID_ARGUMENT if it is not an IPv4 or IPv6 literal.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const HttpServerOptions& options, HttpHandler handler);

  // Shuts down if Shutdown() was not called.
  ~HttpServer();

  int port() const { return port_; }

  // Stops accepting, lets requests being handled finish and be answered,
  // closes every connection, and returns when all connection threads have
  // ended. Idempotent; any thread.
  void Shutdown();

 private:
  HttpServer(HttpServerOptions options, HttpHandler handler)
      : options_(std::move(options)), handler_(std::move(handler)) {}
  void AcceptLoop();
  void ServeConnection(int fd, std::string peer);  // counts the connection
  void Serve(int fd, std::string peer);

  const HttpServerOptions options_;
  const HttpHandler handler_;
  int listen_fd_ = -1;
  int stop_fd_ = -1;  // eventfd: readable once Shutdown() has begun
  int port_ = 0;
  std::thread acceptor_;
  std::atomic<bool> stopping_{false};
  absl::Mutex mu_;
  int open_connections_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_HTTP_HTTP_SERVER_H_
