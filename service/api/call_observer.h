// A gRPC server interceptor that records every call, whatever the service
// (triage, admin, health, reflection): metrics and the access log.
#ifndef BACKCHAT_SERVICE_API_CALL_OBSERVER_H_
#define BACKCHAT_SERVICE_API_CALL_OBSERVER_H_

#include <atomic>

#include "grpcpp/support/server_interceptor.h"
#include "service/api/server_guards.h"

namespace backchat::api {

class CallObserverFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // Does not own `guards`; its metrics and access log may be null.
  explicit CallObserverFactory(const ServerGuards* guards) : guards_(guards) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

  // Calls started and not yet ended.
  int in_flight() const { return in_flight_.load(); }

 private:
  const ServerGuards* guards_;
  std::atomic<int> in_flight_{0};
};

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_CALL_OBSERVER_H_
