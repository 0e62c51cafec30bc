#include "service/api/triage_rpcs.h"

#include "absl/strings/str_cat.h"
#include "service/common/deferred_writes.h"
#include "backchat/triage/v1/triage.pb.h"

namespace backchat::api {

namespace tv1 = ::backchat::triage::v1;
using google::protobuf::Message;

const google::protobuf::ServiceDescriptor& TriageServiceDescriptor() {
  return *tv1::StartSessionRequest::descriptor()->file()->FindServiceByName("TriageService");
}

namespace {

enum class Starts { kSession, kNothing };

bool ServedFromMemory(const Conversations& conversations,
                      const tv1::StartSessionRequest& request) {
  return conversations.ServesFromMemory(request);
}
bool ServedFromMemory(const Conversations& conversations,
                      const tv1::SubmitAnswerRequest& request) {
  return conversations.ServesFromMemory(request);
}
template <typename Request>
bool ServedFromMemory(const Conversations& conversations, const Request& request) {
  return conversations.ServesFromMemory(request.session_id());
}

// An entry for an RPC whose reply carries a Turn, as every triage RPC's does.
template <typename Request, typename Response>
TriageRpc Rpc(const std::string& name, Starts starts,
              absl::Status (Conversations::*operation)(const Request&, tv1::Turn*)) {
  TriageRpc rpc;
  rpc.name = name;
  rpc.path = absl::StrCat("/", TriageServiceDescriptor().full_name(), "/", name);
  rpc.request_prototype = &Request::default_instance();
  rpc.response_prototype = &Response::default_instance();
  rpc.starts_session = starts == Starts::kSession;
  rpc.call = [operation](Conversations& conversations, const Message& request,
                         Message* response) {
    return (conversations.*operation)(static_cast<const Request&>(request),
                                      static_cast<Response*>(response)->mutable_turn());
  };
  rpc.serves_from_memory = [](const Conversations& conversations, const Message& request) {
    return ServedFromMemory(conversations, static_cast<const Request&>(request));
  };
  return rpc;
}

}  // namespace

const std::vector<TriageRpc>& TriageRpcs() {
  static const std::vector<TriageRpc>* const kRpcs = new std::vector<TriageRpc>{
      Rpc<tv1::StartSessionRequest, tv1::StartSessionResponse>("StartSession", Starts::kSession,
                                                               &Conversations::Start),
      Rpc<tv1::SubmitAnswerRequest, tv1::SubmitAnswerResponse>("SubmitAnswer", Starts::kNothing,
                                                               &Conversations::Answer),
      Rpc<tv1::GetSessionRequest, tv1::GetSessionResponse>("GetSession", Starts::kNothing,
                                                           &Conversations::Get),
      Rpc<tv1::GoBackRequest, tv1::GoBackResponse>("GoBack", Starts::kNothing,
                                                   &Conversations::GoBack),
      Rpc<tv1::RestartSessionRequest, tv1::RestartSessionResponse>(
          "RestartSession", Starts::kNothing, &Conversations::Restart),
  };
  return *kRpcs;
}

const TriageRpc* FindTriageRpc(absl::string_view path) {
  for (const TriageRpc& rpc : TriageRpcs()) {
    if (rpc.path == path) return &rpc;
  }
  return nullptr;
}

absl::Status AdmitTriageCall(const TriageRpc& rpc, const ServerGuards* guards,
                             absl::string_view peer, absl::Duration* retry_after) {
  if (guards == nullptr) return absl::OkStatus();
  return guards->AdmitPatientCall(peer, rpc.starts_session, retry_after);
}

void DispatchTriageCall(const TriageRpc& rpc, const Conversations& conversations,
                        const Message& request, StoreWorkers& workers,
                        absl::AnyInvocable<void()> work) {
  if (rpc.serves_from_memory(conversations, request)) return work();
  workers.Run(std::move(work));
}

absl::Status AnsweredStatus(const absl::Status& call, const absl::Status& saved) {
  return call.ok() ? saved : call;
}

void RunWithDeferredWrites(
    absl::AnyInvocable<absl::Status()> attempt, StoreWorkers& workers,
    absl::AnyInvocable<void(const absl::Status& call, absl::Status answered)> answer) {
  DeferredWrites writes;
  absl::Status call = attempt();
  // What the attempt owns (the call's messages) is freed here when no
  // second run can be asked for, not on the thread that saves, which
  // serves every call of the store.
  if (!DeferredWrites::IsRunAgain(call) && !writes.MayRunAgain()) attempt = nullptr;
  std::move(writes).WhenSaved([attempt = std::move(attempt), &workers, answer = std::move(answer),
                               call = std::move(call)](absl::Status saved) mutable {
    absl::Status answered = AnsweredStatus(call, saved);
    if (!DeferredWrites::IsRunAgain(answered) || attempt == nullptr) {
      return answer(call, std::move(answered));
    }
    workers.Run([attempt = std::move(attempt), answer = std::move(answer)]() mutable {
      const absl::Status again = attempt();  // outside a scope: saved when it returns
      answer(again, again);
    });
  });
}

absl::Status UnparseableRequest(const TriageRpc& rpc, absl::string_view encoding) {
  return UnparseableRequest(rpc.name, *rpc.request_prototype, encoding);
}

absl::Status UnparseableRequest(absl::string_view rpc_name, const Message& prototype,
                                absl::string_view encoding) {
  return absl::InvalidArgumentError(absl::StrCat(
      rpc_name, ": the request is not ", encoding, " ", prototype.GetTypeName(),
      " (malformed, or a string field that is not UTF-8)"));
}

}  // namespace backchat::api
