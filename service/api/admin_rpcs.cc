#include "service/api/admin_rpcs.h"

#include "absl/strings/str_cat.h"
#include "backchat/admin/v1/admin.grpc.pb.h"

namespace backchat::api {

namespace av1 = ::backchat::admin::v1;
using google::protobuf::Message;

namespace {

template <typename Request, typename Response>
AdminRpc Rpc(const std::string& name, const std::string& scope,
             absl::Status (*operation)(const AdminCalls&, const Request&, Response*)) {
  AdminRpc rpc;
  rpc.name = name;
  rpc.path = absl::StrCat("/", av1::AdminService::service_full_name(), "/", name);
  rpc.scope = scope;
  rpc.request_prototype = &Request::default_instance();
  rpc.response_prototype = &Response::default_instance();
  rpc.call = [operation](const AdminCalls& calls, const Message& request, Message* response) {
    return operation(calls, static_cast<const Request&>(request), static_cast<Response*>(response));
  };
  return rpc;
}

absl::Status GetReport(const AdminCalls& calls, const av1::GetReportRequest& request,
                       av1::GetReportResponse* response) {
  return BuildReport(calls.reports, request, calls.clock(), response);
}

}  // namespace

const std::vector<AdminRpc>& AdminRpcs() {
  static const std::vector<AdminRpc>* const kRpcs = new std::vector<AdminRpc>{
      Rpc<av1::GetReportRequest, av1::GetReportResponse>("GetReport", "reports", &GetReport),
  };
  return *kRpcs;
}

const AdminRpc* FindAdminRpc(absl::string_view path) {
  for (const AdminRpc& rpc : AdminRpcs()) {
    if (rpc.path == path) return &rpc;
  }
  return nullptr;
}

absl::Status AuthorizeAdminHttpCall(const AdminRpc& rpc, const ServerGuards* guards,
                                    absl::string_view authorization) {
  if (guards == nullptr) {
    return absl::UnauthenticatedError("admin calls are off on this listener");
  }
  if (guards->admin_requires_client_cert) {
    return absl::UnauthenticatedError(
        "admin calls need a verified TLS client certificate (--admin_require_client_cert), "
        "which the HTTP listener does not ask for; call over gRPC");
  }
  return guards->AuthorizeAdmin(authorization, rpc.scope).status();
}

}  // namespace backchat::api
