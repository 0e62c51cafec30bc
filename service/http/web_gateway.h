// The browser-facing API: the triage RPCs (the table in api/triage_rpcs.h,
// which the gRPC service serves too) over the Connect protocol (unary, JSON
// or binary protobuf) and over gRPC-Web (binary and text), plus the widget bundle and the example
// page. Runs behind HttpServer (see http_server.h).
//
// Routes:
//   POST /backchat.triage.v1.TriageService/<Method>   the RPCs
//   OPTIONS <any>                                     CORS preflight
//   GET|HEAD /widget.js, /example/, ...               files from WebAssets
//   GET /healthz                                      "ok" while the store answers
//   GET /metrics                                      Prometheus text (API key, scope metrics)
//   /fhir/...                                         FHIR (fhir_routes.h)
#ifndef BACKCHAT_SERVICE_HTTP_WEB_GATEWAY_H_
#define BACKCHAT_SERVICE_HTTP_WEB_GATEWAY_H_

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
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
  WebGateway(api::Conversations* conversations, CorsPolicy cors, WebAssets assets,
             const api::ServerGuards* guards = nullptr);

  // An HttpHandler: never fails, answers every request (404, 405, 415, ...
  // with a message that says what to send instead), and records it.
  void Handle(const HttpRequest& request, HttpResponse* response) const;

 private:
  void Route(const HttpRequest& request, HttpResponse* response) const;
  void ServeMetrics(const HttpRequest& request, HttpResponse* response) const;
  // `rpc` is null for a path under the service that names no RPC.
  void HandleRpc(const api::TriageRpc* rpc, const HttpRequest& request,
                 HttpResponse* response) const;

  api::Conversations* conversations_;
  CorsPolicy cors_;
  WebAssets assets_;
  const api::ServerGuards* guards_;
  FhirRoutes fhir_;
};

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_HTTP_WEB_GATEWAY_H_
