// What the server checks and records around every call, shared by the
// gRPC services and the HTTP gateway: per-client limits, admin API keys,
// metrics and the access log. Each member may be null: not checked, not
// recorded.
#ifndef BACKCHAT_SERVICE_API_SERVER_GUARDS_H_
#define BACKCHAT_SERVICE_API_SERVER_GUARDS_H_

#include <atomic>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "service/observability/access_log.h"
#include "service/observability/metrics.h"
#include "service/security/api_keys.h"
#include "service/security/client_limits.h"

namespace backchat::api {

struct ServerGuards {
  security::ClientLimiter* limiter = nullptr;
  const security::ApiKeyring* keys = nullptr;
  observability::Metrics* metrics = nullptr;
  observability::AccessLog* access_log = nullptr;
  // Admin calls must also come over TLS with a verified client certificate.
  bool admin_requires_client_cert = false;
  // False while the session store fails its health probe (/healthz says
  // so; the gRPC health service is told separately).
  const std::atomic<bool>* healthy = nullptr;

  // A patient call from `peer` (as gRPC or the HTTP server write it);
  // `starts_session` for StartSession. RESOURCE_EXHAUSTED saying why, with
  // the wait in `retry_after`, when the client is over its limits.
  absl::Status AdmitPatientCall(absl::string_view peer, bool starts_session,
                                absl::Duration* retry_after) const;

  // An admin call's "authorization" value checked against `keys` for
  // `scope` (see ApiKeyring::Authorize); without keys, every call is
  // refused. The key's name on success.
  absl::StatusOr<std::string> AuthorizeAdmin(absl::string_view authorization,
                                             absl::string_view scope) const;

  // Records a finished call in the metrics and the access log, for every
  // transport ("grpc", "http"): `method` is the route or RPC path, `code`
  // the gRPC code name or HTTP status.
  void RecordCall(absl::string_view transport, absl::string_view method,
                  absl::string_view code, absl::Duration latency,
                  absl::string_view peer) const;
};

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_SERVER_GUARDS_H_
