#include "service/common/http/http_server.h"

#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/ssl/context.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/strand.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/tcp_stream.hpp"
#include "boost/beast/http/parser.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/write.hpp"
#include "boost/beast/ssl/ssl_stream.hpp"
#include "service/common/http/http_codec.h"

namespace backchat::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using ErrorCode = boost::system::error_code;

// Shutdown waits this long for connections to end by themselves, then
// stops every thread (5 s in all, with margin for slow machines).
constexpr absl::Duration kShutdownGrace = absl::Seconds(3);
// A refused connection gets this long to take its 503.
constexpr auto kRefusalTimeout = std::chrono::seconds(1);
// The first read of a request; more follows as the parser needs it.
constexpr size_t kFirstRead = 4096;

std::string PeerName(const tcp::endpoint& endpoint) {
  const asio::ip::address address = endpoint.address();
  if (address.is_v6()) return absl::StrCat("[", address.to_string(), "]:", endpoint.port());
  return absl::StrCat(address.to_string(), ":", endpoint.port());
}

// A connection as the listener sees it, for shutdown.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual asio::any_io_executor executor() = 0;
  // On the connection's event loop: closes it at once if it is waiting for a
  // request; a request being handled is answered first.
  virtual void Stop() = 0;
};

}  // namespace

class HttpServer::Core : public std::enable_shared_from_this<HttpServer::Core> {
 public:
  Core(HttpServerOptions options, AsyncHttpHandler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        contexts_(MakeContexts(Threads(options_))),
        acceptor_(asio::make_strand(*contexts_.front())),
        retry_timer_(acceptor_.get_executor()) {
    if (options_.tls != nullptr) {
      // Asio's context takes ownership of the handle; the options keep theirs.
      SSL_CTX_up_ref(options_.tls.get());
      tls_context_.emplace(options_.tls.get());
    }
  }

  absl::Status Listen(const tcp::endpoint& endpoint) {
    ErrorCode error;
    acceptor_.open(endpoint.protocol(), error);
    if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (!error) acceptor_.bind(endpoint, error);
    if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      return absl::UnavailableError(absl::StrCat("cannot listen for HTTP on ",
                                                 options_.address, ":", options_.port, ": ",
                                                 error.message()));
    }
    port_ = acceptor_.local_endpoint().port();
    return absl::OkStatus();
  }

  void Run() {
    asio::dispatch(acceptor_.get_executor(), [this] { Accept(); });
    for (auto& context : contexts_) {
      // Kept running while it has no connection yet.
      work_.push_back(asio::make_work_guard(*context));
      threads_.emplace_back([context = context.get()] { context->run(); });
    }
  }

  void Shutdown() {
    absl::MutexLock once(&shutdown_mu_);
    if (stopped_) return;
    stopping_.store(true);
    asio::post(acceptor_.get_executor(), [this] {
      ErrorCode ignored;
      acceptor_.close(ignored);
      retry_timer_.cancel();
    });
    std::vector<std::shared_ptr<Connection>> live;
    {
      absl::MutexLock lock(&mu_);
      for (const auto& [raw, weak] : live_) {
        if (auto connection = weak.lock()) live.push_back(std::move(connection));
      }
    }
    for (auto& connection : live) {
      asio::post(connection->executor(), [connection] { connection->Stop(); });
    }
    live.clear();
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(+[](int* open) { return *open == 0; }, &open_),
                           kShutdownGrace);
    }
    // Whoever is left (a client that never reads its reply) is cut off:
    // the threads end, and the connections close with the io_context.
    for (auto& context : contexts_) context->stop();
    for (std::thread& thread : threads_) thread.join();
    stopped_ = true;
  }

  int port() const { return port_; }
  const HttpServerOptions& options() const { return options_; }
  const AsyncHttpHandler& handler() const { return handler_; }
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  asio::ssl::context* tls_context() { return tls_context_ ? &*tls_context_ : nullptr; }

  // Counts a connection from `address` in, or says it is over a cap.
  bool Admit(const std::string& address) {
    absl::MutexLock lock(&mu_);
    if (open_ >= options_.max_connections) return false;
    int& from_address = per_address_[address];
    if (options_.max_connections_per_address > 0 &&
        from_address >= options_.max_connections_per_address) {
      return false;
    }
    ++from_address;
    ++open_;
    return true;
  }

  void Register(Connection* raw, std::weak_ptr<Connection> connection) {
    absl::MutexLock lock(&mu_);
    live_[raw] = std::move(connection);
  }

  // From a connection's destructor.
  void Release(const std::string& address, Connection* raw) {
    absl::MutexLock lock(&mu_);
    live_.erase(raw);
    auto it = per_address_.find(address);
    if (it != per_address_.end() && --it->second <= 0) per_address_.erase(it);
    --open_;
  }

 private:
  static int Threads(const HttpServerOptions& options) {
    if (options.threads > 0) return options.threads;
    return std::max(4, static_cast<int>(std::thread::hardware_concurrency()));
  }
  static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int count) {
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    for (int i = 0; i < count; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
    return contexts;
  }

  void Accept();
  void OnAccepted(tcp::socket socket);
  void Refuse(tcp::socket socket);

  const HttpServerOptions options_;
  const AsyncHttpHandler handler_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  absl::Mutex shutdown_mu_;
  bool stopped_ ABSL_GUARDED_BY(shutdown_mu_) = false;
  // Declared before the io_context: connections still queued in it when it
  // is destroyed release themselves here.
  absl::Mutex mu_;
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, int> per_address_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<Connection*, std::weak_ptr<Connection>> live_ ABSL_GUARDED_BY(mu_);
  std::optional<asio::ssl::context> tls_context_;  // outlives every TLS stream
  // One event loop per thread, each connection on one of them (in turn):
  // a connection's steps never wake another thread, and need no strand.
  // Measured on 2 cores, HTTP/Connect JSON: see the README's performance
  // section.
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  size_t next_context_ = 0;  // on the acceptor's strand
  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  std::vector<std::thread> threads_;
};

namespace {

// One client connection, plain or TLS, from its first byte to its close.
// Every step runs on the connection's event loop (one thread), one at a time.
template <bool kTls>
class HttpConnection final : public Connection,
                             public std::enable_shared_from_this<HttpConnection<kTls>> {
 public:
  using Stream =
      std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

  HttpConnection(HttpServer::Core* core, tcp::socket socket, std::string address,
                 std::string peer)
      : core_(core),
        stream_(MakeStream(std::move(socket), core->tls_context())),
        address_(std::move(address)),
        peer_(std::move(peer)) {}
  ~HttpConnection() override { core_->Release(address_, this); }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
      if constexpr (kTls) {
        self->Lowest().expires_after(self->Timeout(self->options().request_timeout));
        self->stream_.async_handshake(asio::ssl::stream_base::server,
                                      [self](ErrorCode error) {
                                        if (error) return self->Close();
                                        self->ReadRequest();
                                      });
      } else {
        self->ReadRequest();
      }
    });
  }

  asio::any_io_executor executor() override { return stream_.get_executor(); }

  void Stop() override {
    if (!replying_) Close();  // the pending read ends with an error
  }

 private:
  static Stream MakeStream(tcp::socket socket, asio::ssl::context* tls) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }
  const HttpServerOptions& options() const { return core_->options(); }
  static std::chrono::nanoseconds Timeout(absl::Duration duration) {
    return absl::ToChronoNanoseconds(duration);
  }

  // Idle: waits for the next request's first bytes.
  void ReadRequest() {
    replying_ = false;
    if (core_->stopping()) return Close();
    if (buffer_.size() > 0) return ReadHead();  // pipelined: already here
    Lowest().expires_after(Timeout(options().idle_timeout));
    stream_.async_read_some(buffer_.prepare(kFirstRead),
                            [self = this->shared_from_this()](ErrorCode error, size_t bytes) {
                              if (error) return self->Close();
                              self->buffer_.commit(bytes);
                              self->ReadHead();
                            });
  }

  // The request has begun: head and body must arrive within one deadline.
  void ReadHead() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options().max_head_bytes));
    parser_->body_limit(options().max_body_bytes);
    Lowest().expires_after(Timeout(options().request_timeout));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = this->shared_from_this()](ErrorCode error, size_t) {
                               self->OnHead(error);
                             });
  }

  void OnHead(ErrorCode error) {
    if (error) return Refuse(AnswerToParseError(error));
    const RequestError refused = CheckRequestHead(parser_->get());
    if (refused.status != 0) return Refuse(refused);
    if (parser_->is_done()) return Handle();
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      // curl asks before sending a body over 1 KiB; say yes at once
      // rather than make it wait a second.
      interim_.emplace(bhttp::status::continue_, parser_->get().version());
      bhttp::async_write(stream_, *interim_,
                         [self = this->shared_from_this()](ErrorCode error, size_t) {
                           self->interim_.reset();
                           if (error) return self->Close();
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](ErrorCode error, size_t) {
                        if (error) return self->Refuse(AnswerToParseError(error));
                        self->Handle();
                      });
  }

  void Handle() {
    replying_ = true;
    const WireRequest& head = parser_->get();
    const bool head_only = head.method() == bhttp::verb::head;
    const unsigned version = head.version();
    keep_alive_ = head.keep_alive();
    HttpRequest request = ToHttpRequest(parser_->release(), peer_);
    parser_.reset();
    // The reply may come from another thread: it is sent from this
    // connection's event loop.
    // The core stays alive for a reply that comes after a shutdown (it is
    // then dropped with the io_context).
    core_->handler()(
        std::move(request), [self = this->shared_from_this(), core = core_->shared_from_this(),
                             head_only, version](HttpResponse response) mutable {
          const asio::any_io_executor executor = self->stream_.get_executor();
          asio::dispatch(executor, [self = std::move(self), core = std::move(core), head_only,
                                    version, response = std::move(response)]() mutable {
            self->Send(std::move(response), head_only, version);
          });
        });
  }

  void Send(HttpResponse response, bool head_only, unsigned version) {
    keep_alive_ = keep_alive_ && !core_->stopping();
    if (head_only) {
      head_reply_.emplace(ToWireHeadResponse(response, version, keep_alive_));
      Write(*head_reply_);
    } else {
      reply_.emplace(ToWireResponse(std::move(response), version, keep_alive_));
      Write(*reply_);
    }
  }

  // A request that cannot be served: the reason, then the connection closes.
  void Refuse(const RequestError& refused) {
    if (refused.status == 0) return Close();
    replying_ = true;
    keep_alive_ = false;
    reply_.emplace(ToWireResponse(PlainTextResponse(refused.status, refused.message), 11, false));
    Write(*reply_);
  }

  template <typename Message>
  void Write(Message& message) {
    Lowest().expires_after(Timeout(options().request_timeout));
    bhttp::async_write(stream_, message,
                       [self = this->shared_from_this()](ErrorCode error, size_t) {
                         self->reply_.reset();
                         self->head_reply_.reset();
                         if (error || !self->keep_alive_) return self->Close();
                         self->ReadRequest();
                       });
  }

  void Close() {
    ErrorCode ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();
  }

  HttpServer::Core* const core_;
  Stream stream_;
  const std::string address_;
  const std::string peer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<WireHeadResponse> interim_;  // "100 Continue"
  std::optional<WireResponse> reply_;
  std::optional<WireHeadResponse> head_reply_;
  bool replying_ = false;
  bool keep_alive_ = false;
};

}  // namespace

void HttpServer::Core::Accept() {
  asio::io_context& context = *contexts_[next_context_++ % contexts_.size()];
  acceptor_.async_accept(context.get_executor(), [this](ErrorCode error, tcp::socket socket) {
    if (stopping()) return;
    if (error) {
      if (error == asio::error::operation_aborted) return;
      // Out of descriptors, or the peer gave up: try again shortly rather
      // than spin.
      retry_timer_.expires_after(std::chrono::milliseconds(50));
      retry_timer_.async_wait([this](ErrorCode waited) {
        if (!waited && !stopping()) Accept();
      });
      return;
    }
    OnAccepted(std::move(socket));
    Accept();
  });
}

void HttpServer::Core::OnAccepted(tcp::socket socket) {
  ErrorCode error;
  const tcp::endpoint peer = socket.remote_endpoint(error);
  if (error) return;  // already gone
  socket.set_option(tcp::no_delay(true), error);
  std::string address = peer.address().to_string();
  if (!Admit(address)) return Refuse(std::move(socket));
  std::shared_ptr<Connection> connection;
  if (tls_context_) {
    auto tls = std::make_shared<HttpConnection<true>>(this, std::move(socket), std::move(address),
                                                      PeerName(peer));
    tls->Start();
    connection = std::move(tls);
  } else {
    auto plain = std::make_shared<HttpConnection<false>>(this, std::move(socket),
                                                         std::move(address), PeerName(peer));
    plain->Start();
    connection = std::move(plain);
  }
  Register(connection.get(), connection);
}

void HttpServer::Core::Refuse(tcp::socket socket) {
  if (tls_context_) return;  // no handshake yet to answer in: just close
  static const std::string* const kReply = new std::string(
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
      "Retry-After: 1\r\nConnection: close\r\nContent-Length: 32\r\n\r\n"
      "too many connections; try again\n");
  auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
  stream->expires_after(kRefusalTimeout);
  asio::async_write(*stream, asio::buffer(*kReply), [stream](ErrorCode, size_t) {
    ErrorCode ignored;
    stream->socket().shutdown(tcp::socket::shutdown_send, ignored);
  });
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                              HttpHandler handler) {
  return StartAsync(options, [handler = std::move(handler)](HttpRequest request,
                                                            HttpReply reply) {
    HttpResponse response;
    handler(request, &response);
    std::move(reply)(std::move(response));
  });
}

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::StartAsync(
    const HttpServerOptions& options, AsyncHttpHandler handler) {
  ErrorCode error;
  const asio::ip::address address = asio::ip::make_address(options.address, error);
  if (error) {
    return absl::InvalidArgumentError(absl::StrCat(
        "HTTP address \"", options.address, "\" is not an IPv4 or IPv6 address"));
  }
  auto core = std::make_shared<Core>(options, std::move(handler));
  absl::Status listening =
      core->Listen(tcp::endpoint(address, static_cast<unsigned short>(options.port)));
  if (!listening.ok()) return listening;
  core->Run();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(core)));
}

HttpServer::~HttpServer() { Shutdown(); }

int HttpServer::port() const { return core_->port(); }

void HttpServer::Shutdown() { core_->Shutdown(); }

}  // namespace backchat::http
