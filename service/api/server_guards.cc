#include "service/api/server_guards.h"

#include "absl/strings/str_cat.h"

namespace backchat::api {

absl::Status ServerGuards::AdmitPatientCall(absl::string_view peer, bool starts_session,
                                            absl::Duration* retry_after) const {
  if (limiter == nullptr) return absl::OkStatus();
  const security::Admission admission =
      limiter->Admit(security::ClientAddress(peer), starts_session);
  if (admission.allowed) return absl::OkStatus();
  if (metrics != nullptr) metrics->RateLimited();
  *retry_after = admission.retry_after;
  return absl::ResourceExhaustedError(
      absl::StrCat(admission.reason, "; retry after ",
                   absl::ToInt64Seconds(admission.retry_after), " s"));
}

absl::StatusOr<std::string> ServerGuards::AuthorizeAdmin(absl::string_view authorization,
                                                         absl::string_view scope) const {
  static const security::ApiKeyring* const kNoKeys = new security::ApiKeyring();
  return (keys != nullptr ? keys : kNoKeys)->Authorize(authorization, scope);
}

void ServerGuards::RecordCall(absl::string_view transport, absl::string_view method,
                              absl::string_view code, absl::Duration latency,
                              absl::string_view peer) const {
  if (metrics != nullptr) metrics->RecordCall(transport, method, code, latency);
  if (access_log != nullptr) access_log->Write(transport, method, code, latency, peer);
}

}  // namespace backchat::api
