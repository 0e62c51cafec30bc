// A BackChat gRPC server running in the test's process on a loopback port,
// with a real channel to it.
#ifndef BACKCHAT_TESTS_SUPPORT_LIVE_SERVER_H_
#define BACKCHAT_TESTS_SUPPORT_LIVE_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "service/security/api_keys.h"
#include "service/api/conversations.h"
#include "service/api/server.h"
#include "service/dialog_tools/dialog_registry.h"

namespace backchat::testing {

// The registry of the source tree's dialogs/ (aborts the test binary if it
// does not load).
std::unique_ptr<engine::DialogRegistry> LoadSourceDialogs();

// Adds LiveServer::kAdminKey to an admin call's metadata.
void AuthorizeAdmin(grpc::ClientContext* context);

class LiveServer {
 public:
  // Every live server accepts this admin API key, with every scope; send
  // it as "authorization: Bearer <kAdminKey>".
  static constexpr char kAdminKey[] = "live-server-admin-key-0123456789";

  // Does not own its arguments; `records` and `care` may be null (`care`:
  // outcomes carry its actions, as with --care_contacts).
  static absl::StatusOr<std::unique_ptr<LiveServer>> Start(
      engine::DialogRegistry* dialogs, store::SessionStore* sessions,
      records::RecordStore* records = nullptr,
      const api::CareContactsFile* care = nullptr);
  // Shuts the server down (1 s grace).
  ~LiveServer();

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

 private:
  LiveServer() = default;
  std::unique_ptr<security::ApiKeyring> keys_;
  std::unique_ptr<api::Conversations> conversations_;
  std::unique_ptr<api::BackchatServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace backchat::testing

#endif  // BACKCHAT_TESTS_SUPPORT_LIVE_SERVER_H_
