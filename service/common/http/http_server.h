// The HTTP/1.1 listener, on Boost.Beast and Asio: event-driven, so an idle
// or slow connection costs a socket and a buffer, never a thread. Keep-alive,
// chunked request bodies, a deadline per phase, TLS from the same
// certificate files, a cap on connections per client address beside the
// global one, and a shutdown that returns within 5 s whatever clients do.
// It exists so browsers and messaging platforms can reach BackChat without a
// proxy (see web_gateway.h and the bridges); it is not a general web server.
#ifndef BACKCHAT_SERVICE_COMMON_HTTP_HTTP_SERVER_H_
#define BACKCHAT_SERVICE_COMMON_HTTP_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/functional/any_invocable.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/common/http/http_message.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace backchat::http {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  int port = 0;  // 0 picks a free port; see HttpServer::port()
  // Connections beyond either cap get 503 (plain HTTP) and are closed at
  // once. The per-address cap keeps one client from taking every slot;
  // behind a reverse proxy every client shares the proxy's address, so set
  // it to 0 (no per-address cap) there.
  int max_connections = 2048;
  int max_connections_per_address = 64;
  size_t max_head_bytes = 16 * 1024;  // larger heads get 431
  size_t max_body_bytes = 64 * 1024;  // larger bodies get 413, unread
  // Deadlines per phase. A request must arrive whole within
  // request_timeout of its first byte (the TLS handshake too), and a reply
  // must be taken by the client within it. A kept-alive connection with no
  // request for idle_timeout is closed.
  absl::Duration request_timeout = absl::Seconds(10);
  absl::Duration idle_timeout = absl::Seconds(30);
  // Threads that run the sockets and the handler. A synchronous handler
  // runs on them and may wait (on a session store), so there are more than
  // cores; 0 means max(4, cores).
  int threads = 0;
  // HTTPS with this context (certificate and key loaded, see
  // security/tls_files.h); plain HTTP when null.
  std::shared_ptr<ssl_ctx_st> tls;
};

// Called once per well-formed request, on one of the server's threads; must
// be thread-safe. Malformed requests never reach it: the server answers
// them. For HEAD, answer as for GET: the server sends the head only, with
// the body's length.
using HttpHandler = std::function<void(const HttpRequest&, HttpResponse*)>;

// Sends the reply to one request. Call it exactly once, from any thread.
using HttpReply = absl::AnyInvocable<void(HttpResponse) &&>;

// A handler that may reply later, from another thread: it must not wait
// itself (it hands waiting work, such as a session store's, to threads of
// its own and replies from there), so the server's threads never wait.
// The connection reads no further request until the reply is sent.
using AsyncHttpHandler = std::function<void(HttpRequest request, HttpReply reply)>;

class HttpServer {
 public:
  // Binds, listens and starts accepting. UNAVAILABLE if the address cannot
  // be bound, INVALID_ARGUMENT if it is not an IPv4 or IPv6 literal.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const HttpServerOptions& options, HttpHandler handler);
  // The same with a handler that may reply later (see AsyncHttpHandler).
  static absl::StatusOr<std::unique_ptr<HttpServer>> StartAsync(
      const HttpServerOptions& options, AsyncHttpHandler handler);

  // Shuts down if Shutdown() was not called.
  ~HttpServer();

  int port() const;

  // Stops accepting and closes idle and half-received connections at once;
  // requests being handled are answered (Connection: close) if their
  // clients take the reply within 3 s. Returns within 5 s whatever
  // clients do, with every thread ended. Idempotent; any thread but the
  // server's own.
  void Shutdown();

  class Core;  // the listener and its connections (http_server.cc)

 private:
  explicit HttpServer(std::shared_ptr<Core> core) : core_(std::move(core)) {}
  std::shared_ptr<Core> core_;
};

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_COMMON_HTTP_HTTP_SERVER_H_
