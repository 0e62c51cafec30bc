#include "tests/support/live_server.h"

#include <cstdlib>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace backchat::testing {

std::unique_ptr<engine::DialogRegistry> LoadSourceDialogs() {
  auto dialogs = engine::DialogRegistry::LoadDirectory(
      absl::StrCat(BACKCHAT_SOURCE_DIR, "/dialogs"), "back_pain");
  if (!dialogs.ok()) {
    std::cerr << dialogs.status() << "\n";
    std::abort();
  }
  return *std::move(dialogs);
}

void AuthorizeAdmin(grpc::ClientContext* context) {
  context->AddMetadata("authorization", absl::StrCat("Bearer ", LiveServer::kAdminKey));
}

absl::StatusOr<std::unique_ptr<LiveServer>> LiveServer::Start(
    engine::DialogRegistry* dialogs, store::SessionStore* sessions,
    records::RecordStore* records, const api::CareContactsFile* care) {
  std::unique_ptr<LiveServer> live(new LiveServer());
  live->conversations_ = std::make_unique<api::Conversations>(dialogs, sessions, records);
  live->conversations_->set_care_contacts(care);
  live->keys_ = security::ApiKeyring::FromKeys({{"tests", {"*"}, kAdminKey}});
  api::ServerOptions options;
  options.address = "127.0.0.1";
  options.port = 0;
  options.guards.keys = live->keys_.get();
  auto server = api::BackchatServer::Start(options, live->conversations_.get(), dialogs,
                                           sessions, records);
  if (!server.ok()) return server.status();
  live->server_ = *std::move(server);
  live->channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", live->server_->port()),
                                       grpc::InsecureChannelCredentials());
  return live;
}

LiveServer::~LiveServer() {
  channel_.reset();
  server_->Shutdown(absl::Seconds(1));
}

}  // namespace backchat::testing
