// A running BackChat gRPC server: the triage and admin services plus the
// standard health-checking and reflection services.
#ifndef BACKCHAT_SERVICE_API_SERVER_H_
#define BACKCHAT_SERVICE_API_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "service/api/admin_service.h"
#include "service/api/call_observer.h"
#include "service/api/conversations.h"
#include "service/api/reflection_v1.h"
#include "service/api/store_workers.h"
#include "service/api/triage_service.h"

namespace backchat::api {

struct ServerOptions {
  std::string address = "127.0.0.1";
  // 0 picks a free port (tests); see BackchatServer::port().
  int port = 50051;
  // Also serve backchat.bench.v1.EchoService (for the benchmark).
  bool serve_echo = false;
  // TLS (see security/tls_files.h), or plaintext when null.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // Largest request accepted (larger: RESOURCE_EXHAUSTED).
  int max_receive_message_bytes = 64 * 1024;
  // Calls in flight on one connection.
  int max_concurrent_streams = 100;
  // Threads that run triage calls for a store that waits on I/O (SQLite,
  // Redis); 0 runs them on gRPC's own threads (the memory store).
  int store_threads = 0;
  // Limits, keys, metrics and the access log; members may be null.
  ServerGuards guards;
  // The dialogs' sign-offs, for ListDialogs (may be null; not owned).
  const DialogApprovals* approvals = nullptr;
  // What the admin calls of admin_rpcs.h (the dashboard's report) work on
  // (may be null; not owned).
  const AdminCalls* admin_calls = nullptr;
};

// Owns the gRPC server and the service objects; does not own
// `conversations` or `dialogs`. Shutdown() may be called from any thread,
// once.
class BackchatServer {
 public:
  // Binds and starts serving. UNAVAILABLE if the address cannot be bound.
  // `sessions` is the store behind `conversations` (for admin deletes).
  static absl::StatusOr<std::unique_ptr<BackchatServer>> Start(
      const ServerOptions& options, Conversations* conversations,
      engine::DialogRegistry* dialogs, store::SessionStore* sessions,
      records::RecordStore* records = nullptr);

  ~BackchatServer();

  // The bound port.
  int port() const { return port_; }
  // Stops accepting calls and waits up to `grace` for calls in flight,
  // then closes every connection (idle clients do not hold it up).
  void Shutdown(absl::Duration grace);
  // Blocks until Shutdown has finished.
  void Wait();
  // The threads triage calls run on (see ServerOptions::store_threads),
  // for the other front ends to share.
  StoreWorkers* workers() { return workers_.get(); }
  // What the standard health service reports for the server as a whole
  // (""): SERVING or NOT_SERVING.
  void SetServing(bool serving);

 private:
  BackchatServer() = default;
  ServerGuards guards_;
  std::unique_ptr<TriageService> service_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<grpc::Service> echo_;
  std::unique_ptr<ReflectionV1Service> reflection_v1_;
  std::unique_ptr<grpc::Server> server_;
  // After server_: destroyed first, once server_ has waited for every call
  // (which the workers finish).
  std::unique_ptr<StoreWorkers> workers_;
  CallObserverFactory* observer_ = nullptr;  // owned by server_
  int port_ = 0;
};

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_SERVER_H_
