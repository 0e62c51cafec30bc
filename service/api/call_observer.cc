#include "service/api/call_observer.h"

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status_code_enum.h"

namespace backchat::api {
namespace {

using grpc::experimental::InterceptionHookPoints;

const char* CodeName(grpc::StatusCode code) {
  static constexpr const char* kNames[] = {
      "OK",        "CANCELLED",          "UNKNOWN",           "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED", "NOT_FOUND",  "ALREADY_EXISTS",    "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL",       "UNAVAILABLE",       "DATA_LOSS",
      "UNAUTHENTICATED"};
  const int index = static_cast<int>(code);
  return index >= 0 && index < 17 ? kNames[index] : "UNKNOWN";
}

class CallObserver final : public grpc::experimental::Interceptor {
 public:
  CallObserver(grpc::experimental::ServerRpcInfo* info, const ServerGuards* guards,
               std::atomic<int>* in_flight)
      : info_(info), guards_(guards), in_flight_(in_flight), start_(absl::Now()) {
    in_flight_->fetch_add(1);
  }
  ~CallObserver() override { in_flight_->fetch_sub(1); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const char* code = CodeName(methods->GetSendStatus().error_code());
      // Only the server's own methods: a client can make up any name.
      const absl::string_view method = info_->method();
      const absl::string_view name =
          absl::StartsWith(method, "/backchat.") || absl::StartsWith(method, "/grpc.")
              ? method
              : "unknown";
      guards_->RecordCall("grpc", name, code, absl::Now() - start_,
                          info_->server_context()->peer());
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  const ServerGuards* guards_;
  std::atomic<int>* in_flight_;
  const absl::Time start_;
};

}  // namespace

grpc::experimental::Interceptor* CallObserverFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new CallObserver(info, guards_, &in_flight_);
}

}  // namespace backchat::api
