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

ABSL_FLAG(bool, check_ins, false,
          "Safety netting: after a SELF_CARE or SEE_DOCTOR outcome, offer to "
          "check on the person in --check_in_days days.");
ABSL_FLAG(int, check_in_days, 3, "Days from the person's yes to the check-in (1-60).");
ABSL_FLAG(absl::Duration, check_in_delay, absl::ZeroDuration(),
          "If set, the check-in is due this long after the yes instead of "
          "--check_in_days (for tests and trials, e.g. 5s).");
ABSL_FLAG(std::string, check_in_quiet_hours, "21-9",
          "Hours of the day (this machine's time zone) when no check-in is "
          "sent, START-END, e.g. 21-9; empty for none.");

namespace backchat::bots {

absl::StatusOr<Bridge> OpenBridge(triage::v1::Channel channel, bool buttons,
                                  const std::string& address_secret) {
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
  bridge.rpc = std::make_unique<client::TriageRpc>(*backchat,
                                                   absl::GetFlag(FLAGS_rpc_timeout));
  chat::ChatOptions options;
  options.channel = channel;
  options.dialog_id = absl::GetFlag(FLAGS_dialog);
  options.default_locale = absl::GetFlag(FLAGS_locale);
  options.buttons = buttons;
  bridge.conversations = std::make_unique<chat::ChatConversations>(
      bridge.rpc.get(), bridge.store.get(), options);

  chat::CheckInOptions check_ins;
  check_ins.enabled = absl::GetFlag(FLAGS_check_ins);
  check_ins.days = absl::GetFlag(FLAGS_check_in_days);
  if (check_ins.days < 1 || check_ins.days > 60) {
    return absl::InvalidArgumentError(
        absl::StrCat("--check_in_days=", check_ins.days, " must be 1-60"));
  }
  const absl::Duration delay = absl::GetFlag(FLAGS_check_in_delay);
  if (delay < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--check_in_delay must not be negative");
  }
  check_ins.delay = delay > absl::ZeroDuration() ? delay : absl::Hours(24) * check_ins.days;
  check_ins.address_secret = address_secret;
  check_ins.rpc_timeout = absl::GetFlag(FLAGS_rpc_timeout);
  if (absl::StatusOr<chat::QuietHours> quiet =
          chat::ParseQuietHours(absl::GetFlag(FLAGS_check_in_quiet_hours));
      !quiet.ok()) {
    return quiet.status();
  }
  auto check_in_store = chat::CheckInStore::Open(&bridge.store->database(),
                                                 bridge.conversations->channel_name());
  if (!check_in_store.ok()) return check_in_store.status();
  bridge.check_in_store = *std::move(check_in_store);
  bridge.check_ins = std::make_unique<chat::CheckIns>(
      bridge.conversations.get(), bridge.check_in_store.get(), *backchat, check_ins);
  return bridge;
}

absl::Status StartCheckIns(Bridge* bridge, chat::CheckInSender sender) {
  if (!bridge->check_ins->options().enabled) return absl::OkStatus();
  chat::CheckInScheduleOptions options;
  absl::StatusOr<chat::QuietHours> quiet =
      chat::ParseQuietHours(absl::GetFlag(FLAGS_check_in_quiet_hours));
  if (!quiet.ok()) return quiet.status();
  options.quiet = *quiet;
  bridge->scheduler = std::make_unique<chat::CheckInScheduler>(bridge->check_in_store.get(),
                                                               std::move(sender), options);
  return bridge->scheduler->Start();
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
