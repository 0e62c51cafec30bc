// gRPC server reflection v1 (grpc.reflection.v1.ServerReflection), which
// Debian's gRPC 1.51 does not ship: it registers only v1alpha, and clients
// such as grpcurl and Postman ask for v1 first. Both versions carry the same
// messages; this one answers from the process's generated descriptor pool,
// which holds every BackChat service's files.
#ifndef BACKCHAT_SERVICE_API_REFLECTION_V1_H_
#define BACKCHAT_SERVICE_API_REFLECTION_V1_H_

#include <string>
#include <vector>

#include "grpc/reflection/v1/reflection.grpc.pb.h"

namespace backchat::api {

class ReflectionV1Service final : public grpc::reflection::v1::ServerReflection::CallbackService {
 public:
  // `services`: the full names list_services answers with, those the
  // server registered.
  explicit ReflectionV1Service(std::vector<std::string> services)
      : services_(std::move(services)) {}

  grpc::ServerBidiReactor<grpc::reflection::v1::ServerReflectionRequest,
                          grpc::reflection::v1::ServerReflectionResponse>*
  ServerReflectionInfo(grpc::CallbackServerContext* context) override;

  // The answer to one request (exposed for tests).
  grpc::reflection::v1::ServerReflectionResponse Answer(
      const grpc::reflection::v1::ServerReflectionRequest& request) const;

 private:
  const std::vector<std::string> services_;
};

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_REFLECTION_V1_H_
