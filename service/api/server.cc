#include "service/api/server.h"

#include "absl/strings/str_cat.h"
#include "backchat/bench/v1/echo.grpc.pb.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace backchat::api {
namespace {

// Returns the payload: the least work an RPC on this server can do.
class EchoService final : public bench::v1::EchoService::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const bench::v1::EchoRequest* request,
                                 bench::v1::EchoResponse* response) override {
    response->set_payload(request->payload());
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<BackchatServer>> BackchatServer::Start(
    const ServerOptions& options, Conversations* conversations,
    engine::DialogRegistry* dialogs, store::SessionStore* sessions,
    records::RecordStore* records) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<BackchatServer> server(new BackchatServer());
  server->guards_ = options.guards;
  server->workers_ = std::make_unique<StoreWorkers>(options.store_threads);
  server->service_ =
      std::make_unique<TriageService>(conversations, &server->guards_, server->workers_.get());
  server->admin_ =
      std::make_unique<AdminService>(dialogs, records, sessions, &server->guards_,
                                     options.approvals);
  server->admin_->set_admin_calls(options.admin_calls);
  const std::string target = absl::StrCat(
      options.address.find(':') != std::string::npos
          ? absl::StrCat("[", options.address, "]")
          : options.address,
      ":", options.port);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(
      target,
      options.credentials != nullptr ? options.credentials : grpc::InsecureServerCredentials(),
      &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_concurrent_streams);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> observers;
  auto observer = std::make_unique<CallObserverFactory>(&server->guards_);
  server->observer_ = observer.get();
  observers.push_back(std::move(observer));
  builder.experimental().SetInterceptorCreators(std::move(observers));
  builder.RegisterService(server->service_.get());
  builder.RegisterService(server->admin_.get());
  std::vector<std::string> services = {
      TriageServiceDescriptor().full_name(), admin::v1::AdminService::service_full_name(),
      "grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection",
      grpc::reflection::v1::ServerReflection::service_full_name()};
  if (options.serve_echo) {
    server->echo_ = std::make_unique<EchoService>();
    builder.RegisterService(server->echo_.get());
    services.push_back(bench::v1::EchoService::service_full_name());
  }
  // v1alpha comes with gRPC (the plugin above); v1 is ours.
  server->reflection_v1_ = std::make_unique<ReflectionV1Service>(std::move(services));
  builder.RegisterService(server->reflection_v1_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", target,
                     " (is the address valid and the port free?)"));
  }
  return server;
}

BackchatServer::~BackchatServer() {
  if (server_ != nullptr) {
    server_->Shutdown();
    server_->Wait();
  }
}

void BackchatServer::Shutdown(absl::Duration grace) {
  // gRPC's graceful shutdown also waits, up to the deadline, for clients
  // to close idle connections (a chat bridge keeps one open), so wait for
  // the calls ourselves and then shut down at once. A call arriving in
  // between is cancelled; clients retry safely (answers carry their
  // question id).
  const absl::Time deadline = absl::Now() + grace;
  while (observer_ != nullptr && observer_->in_flight() > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  server_->Shutdown(absl::ToChronoTime(absl::Now()));
}

void BackchatServer::Wait() { server_->Wait(); }

void BackchatServer::SetServing(bool serving) {
  if (grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService()) {
    health->SetServingStatus(serving);
  }
}

}  // namespace backchat::api
