#include "service/api/triage_service.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace backchat::api {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

grpc::ServerUnaryReactor* FinishWith(grpc::CallbackServerContext* context,
                                     const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

TriageService::TriageService(Conversations* conversations, const ServerGuards* guards,
                             StoreWorkers* workers)
    : conversations_(conversations), guards_(guards), workers_(workers) {
  for (const TriageRpc& rpc : TriageRpcs()) {
    // The generated service lists its methods in triage.proto's order.
    const int index = TriageServiceDescriptor().FindMethodByName(rpc.name)->index();
    MarkMethodRawCallback(
        index, new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer, grpc::ByteBuffer>(
                   [this, rpc = &rpc](grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) {
                     return Serve(*rpc, context, request, response);
                   }));
  }
}

grpc::ServerUnaryReactor* TriageService::Serve(const TriageRpc& rpc,
                                               grpc::CallbackServerContext* context,
                                               const grpc::ByteBuffer* request_bytes,
                                               grpc::ByteBuffer* response_bytes) {
  absl::Duration retry_after;
  const absl::Status admitted = AdmitTriageCall(rpc, guards_, context->peer(), &retry_after);
  if (!admitted.ok()) {
    // gRPC's own retry hint, and the seconds for people reading it.
    context->AddTrailingMetadata("grpc-retry-pushback-ms",
                                 std::to_string(absl::ToInt64Milliseconds(retry_after)));
    context->AddTrailingMetadata("retry-after",
                                 std::to_string(absl::ToInt64Seconds(retry_after)));
    return FinishWith(context, admitted);
  }
  // The call's messages live on one arena: a turn is many small strings,
  // and an arena makes them one allocation and no frees.
  auto call = std::make_unique<google::protobuf::Arena>();
  google::protobuf::Message* request = rpc.request_prototype->New(call.get());
  grpc::ByteBuffer copy(*request_bytes);  // the reader takes a mutable buffer
  grpc::ProtoBufferReader reader(&copy);
  if (!reader.status().ok() || !request->ParseFromZeroCopyStream(&reader)) {
    return FinishWith(context, UnparseableRequest(rpc, "a binary"));
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  google::protobuf::Message* response = rpc.response_prototype->New(call.get());
  DispatchTriageCall(rpc, *conversations_, *request, *workers_,
                     [this, &rpc, reactor, request, response, response_bytes,
                      call = std::move(call)]() mutable {
    // The call's writes are saved meanwhile; it is answered once they are.
    RunWithDeferredWrites(
        [this, &rpc, request, response, response_bytes, call = std::move(call)] {
          response->Clear();
          const absl::Status status = rpc.call(*conversations_, *request, response);
          if (status.ok()) {
            // gRPC's own serializer: straight into the reply's slices, with
            // no string in between.
            bool own_buffer;
            const grpc::Status serialized =
                grpc::SerializationTraits<google::protobuf::Message>::Serialize(
                    *response, response_bytes, &own_buffer);
            if (!serialized.ok()) {
              return absl::InternalError(
                  absl::StrCat(rpc.name, ": cannot serialize the reply"));
            }
          }
          return status;
        },
        *workers_,
        [reactor](const absl::Status&, absl::Status answered) {
          reactor->Finish(ToGrpcStatus(answered));
        });
  });
  return reactor;
}

}  // namespace backchat::api
