// Which web origins may call the API from a browser (CORS, per the Fetch
// standard). Nothing is allowed by default except the server's own origin:
// a clinic's site must be listed explicitly.
#ifndef BACKCHAT_SERVICE_HTTP_CORS_POLICY_H_
#define BACKCHAT_SERVICE_HTTP_CORS_POLICY_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/common/http/http_message.h"

namespace backchat::http {

class CorsPolicy {
 public:
  // From a comma-separated list of origins, each "scheme://host[:port]"
  // with scheme http or https and nothing after the port, e.g.
  // "https://clinic.example,http://localhost:3000". INVALID_ARGUMENT names
  // the first bad entry ("*" is refused: health data is not for any site).
  static absl::StatusOr<CorsPolicy> Parse(absl::string_view origins);

  CorsPolicy() = default;

  // True when a request carrying `origin` may be answered: no Origin header
  // (not a browser, or a same-origin GET), a listed origin, or the server's
  // own origin (the Origin's host equals the request's Host header).
  bool Allows(const HttpRequest& request) const;

  // For an allowed cross-origin request, adds Access-Control-Allow-Origin,
  // Vary and the exposed headers gRPC-Web clients read.
  void AddResponseHeaders(const HttpRequest& request,
                          HttpResponse* response) const;

  // The answer to a preflight (OPTIONS with Access-Control-Request-Method):
  // 204 with the allowed methods and headers, or 403 for another origin.
  HttpResponse Preflight(const HttpRequest& request) const;

 private:
  absl::flat_hash_set<std::string> origins_;
};

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_HTTP_CORS_POLICY_H_
