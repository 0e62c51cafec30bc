// The browser-facing API: the triage RPCs (the table in api/triage_rpcs.h,
// which the gRPC service serves too) over the Connect protocol (unary, JSON
// or binary protobuf) and over gRPC-Web (binary and text), plus the widget bundle and the example
// page. Runs behind HttpServer (see http_server.h).
//
// Routes:
//   POST /backchat.triage.v1.TriageService/<Method>   the RPCs
//   POST /backchat.admin.v1.AdminService/<Method>     admin RPCs (api/admin_rpcs.h;
//                                                     an API key with their scope)
//   OPTIONS <any>                                     CORS preflight
//   GET|HEAD /widget.js, /example/, ...               files from WebAssets (/admin/,
//                                                     the clinic dashboard, with a
//                                                     strict Content-Security-Policy)
//   GET /healthz                                      "ok" while the store answers
//   GET /metrics                                      Prometheus text (API key, scope metrics)
//   /fhir/...                                         FHIR (fhir_routes.h)
#ifndef BACKCHAT_SERVICE_HTTP_WEB_GATEWAY_H_
#define BACKCHAT_SERVICE_HTTP_WEB_GATEWAY_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "service/api/admin_rpcs.h"
#include "service/api/conversations.h"
#include "service/api/server_guards.h"
#include "service/api/store_workers.h"
#include "service/api/triage_rpcs.h"
#include "service/http/cors_policy.h"
#include "service/http/fhir_routes.h"
#include "service/common/http/http_message.h"
#include "service/common/http/http_server.h"
#include "service/http/web_assets.h"

namespace backchat::http {

// Thread-safe and immutable after construction. Does not own
// `conversations`, which must outlive it.
class WebGateway {
 public:
  // `guards` (not owned; null: no limits, keys or metrics) admits every
  // RPC, guards /metrics, and records every request.
  // `admin` (not owned; null: admin RPCs are not served) is what the
  // admin RPCs of api/admin_rpcs.h work on. `workers` (not owned; null:
  // inline) run the RPCs, so that the listener's threads never wait on a
  // store.
  WebGateway(api::Conversations* conversations, CorsPolicy cors, WebAssets assets,
             const api::ServerGuards* guards = nullptr, const api::AdminCalls* admin = nullptr,
             api::StoreWorkers* workers = nullptr);

  // An AsyncHttpHandler: never fails, answers every request (404, 405,
  // 415, ... with a message that says what to send instead), and records
  // it. A triage call runs on the listener's thread if the store serves it
  // from memory, else on the workers, and is answered once its writes are
  // saved (deferred_writes.h); everything else at once.
  void Serve(HttpRequest request, HttpReply reply) const;
  // The same, answered on the calling thread (which may then wait).
  void Handle(const HttpRequest& request, HttpResponse* response) const;

 private:
  // An RPC admitted and parsed, ready to run (web_gateway.cc).
  struct PendingRpc;
  // Answers `request` in `response`, or leaves an RPC to run in
  // `pending` (its response then waits for RunRpc).
  void Route(const HttpRequest& request, HttpResponse* response,
             std::unique_ptr<PendingRpc>* pending) const;
  // Runs the call and writes its reply or error, with the CORS headers;
  // returns the call's status.
  absl::Status RunRpc(PendingRpc& call, const HttpRequest& request, HttpResponse* response) const;
  // Records the request (guards) once its response is ready.
  void Record(const HttpRequest& request, const HttpResponse& response, absl::Time start) const;
  void ServeMetrics(const HttpRequest& request, HttpResponse* response) const;
  // One RPC of either table, as HandleRpc serves it.
  struct Rpc {
    absl::string_view name;
    const google::protobuf::Message* request_prototype;
    const google::protobuf::Message* response_prototype;
    // OK, or the refusal (with the wait for RESOURCE_EXHAUSTED).
    std::function<absl::Status(absl::Duration* retry_after)> admit;
    std::function<absl::Status(const google::protobuf::Message&, google::protobuf::Message*)>
        call;
    // Whether the call may run on the listener's thread (see
    // api::DispatchTriageCall); null: it runs on the store's workers.
    std::function<bool(const google::protobuf::Message&)> serves_from_memory;
  };
  static Rpc TriageCall(const api::TriageRpc& rpc, const HttpRequest& request,
                        api::Conversations* conversations, const api::ServerGuards* guards);
  static Rpc AdminCall(const api::AdminRpc& rpc, const HttpRequest& request,
                       const api::AdminCalls* calls, const api::ServerGuards* guards);
  // `rpc` is null for a path under a service that names no RPC. Answers
  // a request it refuses; otherwise leaves the call in `pending`.
  void HandleRpc(const Rpc* rpc, const HttpRequest& request, HttpResponse* response,
                 std::unique_ptr<PendingRpc>* pending) const;

  api::Conversations* conversations_;
  CorsPolicy cors_;
  WebAssets assets_;
  const api::ServerGuards* guards_;
  const api::AdminCalls* admin_;
  api::StoreWorkers* workers_;
  FhirRoutes fhir_;
};

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_HTTP_WEB_GATEWAY_H_
