// The gRPC TriageService, on the callback API, serving the table of
// triage_rpcs.h. Its methods take the request's raw bytes and parse them
// here, so a request that does not parse (or has a string that is not
// UTF-8) gets INVALID_ARGUMENT naming the method; gRPC's own parsing would
// answer UNIMPLEMENTED without a word. A call that reaches Conversations
// runs where it arrived if the store serves it from memory, else on the
// store's workers (DispatchTriageCall), so gRPC's threads never wait on a
// store; it is answered once its writes are saved (deferred_writes.h).
#ifndef BACKCHAT_SERVICE_API_TRIAGE_SERVICE_H_
#define BACKCHAT_SERVICE_API_TRIAGE_SERVICE_H_

#include "backchat/triage/v1/triage.grpc.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "service/api/conversations.h"
#include "service/api/server_guards.h"
#include "service/api/store_workers.h"
#include "service/api/triage_rpcs.h"

namespace backchat::api {

class TriageService final : public triage::v1::TriageService::Service {
 public:
  // Does not own its arguments. Every call is first admitted by `guards`
  // (per-client limits), then parsed, then run (see above).
  TriageService(Conversations* conversations, const ServerGuards* guards,
                StoreWorkers* workers);

 private:
  grpc::ServerUnaryReactor* Serve(const TriageRpc& rpc, grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request, grpc::ByteBuffer* response);

  Conversations* conversations_;
  const ServerGuards* guards_;
  StoreWorkers* workers_;
};

// absl and gRPC share the canonical code numbers.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Finishes a unary callback call with `status`; what every handler returns.
grpc::ServerUnaryReactor* FinishWith(grpc::CallbackServerContext* context,
                                     const absl::Status& status);

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_TRIAGE_SERVICE_H_
