// The triage RPCs, once, for both transports: the gRPC service
// (triage_service.h) and the web gateway (http/web_gateway.h) serve exactly
// this table, with the same admission. Adding an RPC is one entry in
// TriageRpcs() (and its declaration in triage.proto).
#ifndef BACKCHAT_SERVICE_API_TRIAGE_RPCS_H_
#define BACKCHAT_SERVICE_API_TRIAGE_RPCS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "service/api/conversations.h"
#include "service/api/server_guards.h"
#include "service/api/store_workers.h"

namespace backchat::api {

struct TriageRpc {
  std::string name;  // "StartSession", as in triage.proto
  std::string path;  // "/backchat.triage.v1.TriageService/StartSession"
  const google::protobuf::Message* request_prototype = nullptr;
  const google::protobuf::Message* response_prototype = nullptr;
  // Counted against the client's new-session limit as well as its call
  // limit.
  bool starts_session = false;
  // The call into Conversations, on messages of the two prototypes' types.
  std::function<absl::Status(Conversations& conversations,
                             const google::protobuf::Message& request,
                             google::protobuf::Message* response)>
      call;
  // Conversations::ServesFromMemory for the request: whether the call may
  // run on the front end's own thread (see DispatchTriageCall).
  std::function<bool(const Conversations& conversations, const google::protobuf::Message& request)>
      serves_from_memory;
};

// backchat.triage.v1.TriageService, as triage.proto declares it.
const google::protobuf::ServiceDescriptor& TriageServiceDescriptor();

// Every triage RPC, in triage.proto's order.
const std::vector<TriageRpc>& TriageRpcs();

// The RPC served at `path`, or null.
const TriageRpc* FindTriageRpc(absl::string_view path);

// Whether a call of `rpc` from `peer` may go ahead: OK, or
// RESOURCE_EXHAUSTED saying why with the wait in `retry_after`. `guards`
// may be null (no limits). Each transport admits before it even parses the
// request, then calls rpc.call.
absl::Status AdmitTriageCall(const TriageRpc& rpc, const ServerGuards* guards,
                             absl::string_view peer, absl::Duration* retry_after);

// Runs `work`, the call of `rpc` on `request`, at once on this thread when
// it is served from memory (writes deferred, no I/O), else on `workers`:
// a thread hand-off costs more than the whole call from memory.
void DispatchTriageCall(const TriageRpc& rpc, const Conversations& conversations,
                        const google::protobuf::Message& request, StoreWorkers& workers,
                        absl::AnyInvocable<void()> work);

// What a call whose writes were deferred (common/deferred_writes.h)
// answers: its own error, else the first of its writes' failures (then
// nothing the reply would say was saved), else OK.
absl::Status AnsweredStatus(const absl::Status& call, const absl::Status& saved);

// Runs `attempt` (a call, which fills its reply and returns its status)
// inside a DeferredWrites scope, on this thread, and then `answer` once
// the call's writes are saved: with the attempt's status and the status
// to answer (AnsweredStatus). An attempt that fails marked
// DeferredWrites::RunAgain (a stale copy of a session) runs once more on
// `workers`, outside a scope, and `answer` gets that run's status twice.
// `answer` runs on the thread that saved the last write; `attempt` is
// freed on this thread when no second run can be asked for, so it should
// own the call's messages and `answer` only what the reply needs.
void RunWithDeferredWrites(
    absl::AnyInvocable<absl::Status()> attempt, StoreWorkers& workers,
    absl::AnyInvocable<void(const absl::Status& call, absl::Status answered)> answer);

// The error for a request body that does not parse as `rpc`'s request.
absl::Status UnparseableRequest(const TriageRpc& rpc, absl::string_view encoding);
// The same for any RPC named `rpc_name` whose request is like `prototype`.
absl::Status UnparseableRequest(absl::string_view rpc_name,
                                const google::protobuf::Message& prototype,
                                absl::string_view encoding);

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_TRIAGE_RPCS_H_
