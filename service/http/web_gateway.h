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

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include <functional>

#include "service/api/admin_rpcs.h"
#include "service/api/conversations.h"
#include "service/api/server_guards.h"
#include "service/api/triage_rpcs.h"
#include "service/http/cors_policy.h"
#include "service/http/fhir_routes.h"
#include "service/common/http/http_message.h"
#include "service/http/web_assets.h"

namespace backchat::http {

// Thread-safe and immutable after construction. Does not own
// `conversations`, which must outlive it.
class WebGateway {
 public:
  // `guards` (not owned; null: no limits, keys or metrics) admits every
  // RPC, guards /metrics, and records every request.
  // `admin` (not owned; null: admin RPCs are not served) is what the
  // admin RPCs of api/admin_rpcs.h work on.
  WebGateway(api::Conversations* conversations, CorsPolicy cors, WebAssets assets,
             const api::ServerGuards* guards = nullptr, const api::AdminCalls* admin = nullptr);

  // An HttpHandler: never fails, answers every request (404, 405, 415, ...
  // with a message that says what to send instead), and records it.
  void Handle(const HttpRequest& request, HttpResponse* response) const;

 private:
  void Route(const HttpRequest& request, HttpResponse* response) const;
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
  };
  static Rpc TriageCall(const api::TriageRpc& rpc, const HttpRequest& request,
                        api::Conversations* conversations, const api::ServerGuards* guards);
  static Rpc AdminCall(const api::AdminRpc& rpc, const HttpRequest& request,
                       const api::AdminCalls* calls, const api::ServerGuards* guards);
  // `rpc` is null for a path under a service that names no RPC.
  void HandleRpc(const Rpc* rpc, const HttpRequest& request, HttpResponse* response) const;

  api::Conversations* conversations_;
  CorsPolicy cors_;
  WebAssets assets_;
  const api::ServerGuards* guards_;
  const api::AdminCalls* admin_;
  FhirRoutes fhir_;
};

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_HTTP_WEB_GATEWAY_H_
