#include "client/bots/bridge_main.h"

#include <cstring>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "client/chat/secrets.h"
#include "service/common/port_file.h"

ABSL_FLAG(std::string, backchat_address, "127.0.0.1:50051",
          "BackChat's gRPC address, host:port.");
ABSL_FLAG(std::string, backchat_ca_file, "",
          "PEM CA to verify BackChat's TLS certificate with; empty to connect "
          "without TLS (a server started with --plaintext, on loopback).");
ABSL_FLAG(std::string, dialog, "", "Dialog id; empty for the server's default.");
ABSL_FLAG(std::string, locale, "en",
          "Language of a check when neither the platform nor the person's "
          "command says (e.g. en, es).");
ABSL_FLAG(std::string, state_db, "",
          "SQLite file for which chat is in which conversation (required; "
          "created if missing; one bridge process per file).");
ABSL_FLAG(absl::Duration, rpc_timeout, absl::Seconds(5),
          "Deadline of each call to BackChat.");
ABSL_FLAG(std::string, listen_address, "127.0.0.1",
          "Address the webhook listens on (an IPv4 or IPv6 literal).");
ABSL_FLAG(std::string, port_file, "",
          "If set, the webhook's port is written here once it listens.");
ABSL_FLAG(int, max_connections, 64, "Webhook connections served at once.");
ABSL_FLAG(std::string, admin_token_file, "",
          "File holding the token for POST /admin/forget (at least 16 bytes); "
          "without it that endpoint is off.");

namespace backchat::bots {

absl::StatusOr<Bridge> OpenBridge(triage::v1::Channel channel, bool buttons) {
  const std::string state_db = absl::GetFlag(FLAGS_state_db);
  if (state_db.empty()) {
    return absl::InvalidArgumentError("--state_db is required (e.g. --state_db=data/bridge.db)");
  }
  Bridge bridge;
  auto store = chat::ChatStore::Open(state_db);
  if (!store.ok()) return store.status();
  bridge.store = *std::move(store);
  // Reconnect soon after BackChat restarts: gRPC's default backoff grows
  // to two minutes, during which every message would be "try again".
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 250);
  arguments.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 250);
  arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  auto backchat = client::ConnectToBackchat(absl::GetFlag(FLAGS_backchat_address),
                                            absl::GetFlag(FLAGS_backchat_ca_file), arguments);
  if (!backchat.ok()) return backchat.status();
  bridge.rpc = std::make_unique<client::TriageRpc>(*std::move(backchat),
                                                   absl::GetFlag(FLAGS_rpc_timeout));
  chat::ChatOptions options;
  options.channel = channel;
  options.dialog_id = absl::GetFlag(FLAGS_dialog);
  options.default_locale = absl::GetFlag(FLAGS_locale);
  options.buttons = buttons;
  bridge.conversations = std::make_unique<chat::ChatConversations>(
      bridge.rpc.get(), bridge.store.get(), options);
  return bridge;
}

absl::StatusOr<std::unique_ptr<http::HttpServer>> ServeWebhook(
    const std::string& program, int port, const Bridge& bridge, ChatKeyOf chat_key_of,
    http::HttpHandler handler) {
  if (port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("--port=", port, " is not a port (0-65535)"));
  }
  std::string token;
  if (!absl::GetFlag(FLAGS_admin_token_file).empty()) {
    auto read = chat::ReadSecretFile(absl::GetFlag(FLAGS_admin_token_file), "--admin_token_file", 16);
    if (!read.ok()) return read.status();
    token = *std::move(read);
  }
  auto admin = std::make_shared<BridgeAdmin>(bridge.conversations.get(), std::move(token),
                                             std::move(chat_key_of));
  handler = [admin, platform = std::move(handler)](const http::HttpRequest& request,
                                                   http::HttpResponse* response) {
    if (BridgeAdmin::IsAdminPath(request)) {
      admin->Handle(request, response);
    } else {
      platform(request, response);
    }
  };
  http::HttpServerOptions options;
  options.address = absl::GetFlag(FLAGS_listen_address);
  options.port = port;
  options.max_connections = absl::GetFlag(FLAGS_max_connections);
  auto server = http::HttpServer::Start(options, std::move(handler));
  if (!server.ok()) return server.status();
  if (!WritePortFile(absl::GetFlag(FLAGS_port_file), (*server)->port())) {
    return absl::UnavailableError(
        absl::StrCat("cannot write --port_file=", absl::GetFlag(FLAGS_port_file)));
  }
  std::cerr << program << ": listening on " << options.address << ":"
            << (*server)->port() << std::endl;
  return server;
}

int ServeUntilStopped(const std::string& program, int port, const Bridge& bridge,
                      ChatKeyOf chat_key_of, http::HttpHandler handler,
                      const sigset_t& signals) {
  auto server = ServeWebhook(program, port, bridge, std::move(chat_key_of), std::move(handler));
  if (!server.ok()) return Fail(program, server.status().message());
  WaitForStopSignal(signals, program);
  (*server)->Shutdown();
  return 0;
}

sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

void WaitForStopSignal(const sigset_t& signals, const std::string& program) {
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::cerr << program << ": " << strsignal(signal_number) << " received, shutting down"
            << std::endl;
}

int Fail(const std::string& program, absl::string_view message) {
  std::cerr << program << ": " << message << std::endl;
  return 1;
}

}  // namespace backchat::bots
