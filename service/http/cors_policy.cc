#include "service/http/cors_policy.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace backchat::http {
namespace {

// Request headers the Connect and gRPC-Web clients send.
constexpr absl::string_view kAllowedHeaders =
    "content-type, connect-protocol-version, connect-timeout-ms, "
    "grpc-timeout, x-grpc-web, x-user-agent";
// Response headers gRPC-Web clients must be able to read.
constexpr absl::string_view kExposedHeaders =
    "grpc-status, grpc-message, grpc-status-details-bin";

// The "host[:port]" part of an http(s) origin, or "" if it is not one.
absl::string_view OriginAuthority(absl::string_view origin) {
  if (!absl::ConsumePrefix(&origin, "https://") &&
      !absl::ConsumePrefix(&origin, "http://")) {
    return "";
  }
  return origin;
}

bool IsValidAuthority(absl::string_view authority) {
  if (authority.empty()) return false;
  for (char c : authority) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) &&
        !absl::StrContains(".-:[]", c)) {
      return false;
    }
  }
  const size_t colon = authority.rfind(':');
  if (colon != absl::string_view::npos && authority.back() != ']') {
    int port = 0;
    if (!absl::SimpleAtoi(authority.substr(colon + 1), &port) || port < 1 ||
        port > 65535) {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<CorsPolicy> CorsPolicy::Parse(absl::string_view origins) {
  CorsPolicy policy;
  for (absl::string_view entry :
       absl::StrSplit(origins, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    if (entry == "*") {
      return absl::InvalidArgumentError(
          "allowed origin \"*\" is refused: list each clinic site, e.g. "
          "https://clinic.example");
    }
    if (!IsValidAuthority(OriginAuthority(entry))) {
      return absl::InvalidArgumentError(
          absl::StrCat("allowed origin \"", entry,
                       "\" is not scheme://host[:port] with scheme http or "
                       "https and no path"));
    }
    policy.origins_.insert(absl::AsciiStrToLower(entry));
  }
  return policy;
}

bool CorsPolicy::Allows(const HttpRequest& request) const {
  const absl::string_view origin = request.Header("origin");
  if (origin.empty()) return true;
  const std::string lower = absl::AsciiStrToLower(origin);
  if (origins_.contains(lower)) return true;
  const absl::string_view authority = OriginAuthority(lower);
  return !authority.empty() &&
         authority == absl::AsciiStrToLower(request.Header("host"));
}

void CorsPolicy::AddResponseHeaders(const HttpRequest& request,
                                    HttpResponse* response) const {
  const absl::string_view origin = request.Header("origin");
  if (origin.empty()) return;
  response->SetHeader("Access-Control-Allow-Origin", std::string(origin));
  response->SetHeader("Vary", "Origin");
  response->SetHeader("Access-Control-Expose-Headers",
                      std::string(kExposedHeaders));
}

HttpResponse CorsPolicy::Preflight(const HttpRequest& request) const {
  HttpResponse response;
  if (!Allows(request) || request.Header("origin").empty()) {
    return PlainTextResponse(
        403, absl::StrCat("origin \"", request.Header("origin"),
                          "\" is not allowed to call this server"));
  }
  response.status = 204;
  AddResponseHeaders(request, &response);
  response.SetHeader("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
  response.SetHeader("Access-Control-Allow-Headers",
                     std::string(kAllowedHeaders));
  response.SetHeader("Access-Control-Max-Age", "7200");
  return response;
}

}  // namespace backchat::http
