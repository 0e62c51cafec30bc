// The admin RPCs that the web gateway serves over Connect as well as gRPC
// (so that the dashboard page at /admin/ needs no proxy), once, as a table
// like the triage RPCs' (triage_rpcs.h). Adding one is one entry in
// AdminRpcs(). Each is guarded by an API key with its scope.
#ifndef BACKCHAT_SERVICE_API_ADMIN_RPCS_H_
#define BACKCHAT_SERVICE_API_ADMIN_RPCS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "google/protobuf/message.h"
#include "service/api/clinic_report.h"
#include "service/api/server_guards.h"

namespace backchat::api {

// What the admin RPCs of the table work on. Not owned by the calls.
struct AdminCalls {
  ReportSource reports;
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

struct AdminRpc {
  std::string name;   // "GetReport", as in admin.proto
  std::string path;   // "/backchat.admin.v1.AdminService/GetReport"
  std::string scope;  // the API key scope it needs
  const google::protobuf::Message* request_prototype = nullptr;
  const google::protobuf::Message* response_prototype = nullptr;
  // The call, on messages of the two prototypes' types, once authorized.
  std::function<absl::Status(const AdminCalls& calls, const google::protobuf::Message& request,
                             google::protobuf::Message* response)>
      call;
};

// The admin RPCs served over HTTP, in admin.proto's order.
const std::vector<AdminRpc>& AdminRpcs();

// The admin RPC served over HTTP at `path`, or null.
const AdminRpc* FindAdminRpc(absl::string_view path);

// Whether an HTTP call of `rpc` with this "authorization" header may go
// ahead: UNAUTHENTICATED (no key, an unknown key, or admin calls need a
// client certificate, which HTTP calls cannot show), PERMISSION_DENIED (a
// key without the scope). `guards` null: refused.
absl::Status AuthorizeAdminHttpCall(const AdminRpc& rpc, const ServerGuards* guards,
                                    absl::string_view authorization);

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_ADMIN_RPCS_H_
