// backchat_server: serves the triage API for the dialogs in a directory.
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/api/conversations.h"
#include "service/api/server.h"
#include "service/common/port_file.h"
#include "service/engine/dialog_registry.h"
#include "service/http/http_server.h"
#include "service/http/web_gateway.h"
#include "service/records/record_stores.h"
#include "service/store/open_session_store.h"

ABSL_FLAG(std::string, address, "127.0.0.1",
          "Address to listen on (0.0.0.0 for every interface).");
ABSL_FLAG(int, port, 50051, "gRPC port; 0 picks a free one.");
ABSL_FLAG(std::string, port_file, "",
          "If set, the bound port is written to this file once serving.");
ABSL_FLAG(std::string, dialogs, "dialogs",
          "Directory of *.textproto dialog files.");
ABSL_FLAG(std::string, default_dialog, "back_pain",
          "Dialog id used when a client names none.");
ABSL_FLAG(std::string, store, "sqlite",
          "Where sessions live: sqlite (one file, survives restarts), memory, "
          "or redis (shared by several replicas).");
ABSL_FLAG(std::string, sqlite_path, "backchat.db", "SQLite database file.");
ABSL_FLAG(std::string, redis_address, "127.0.0.1:6379",
          "Redis host:port, with --store=redis.");
ABSL_FLAG(int, redis_database, 0,
          "Redis database number, dedicated to BackChat (the session cap "
          "counts its keys).");
ABSL_FLAG(std::string, sqlite_synchronous, "normal",
          "normal (survives a crash of the process) or full (survives power "
          "loss; slower).");
ABSL_FLAG(bool, serve_echo, false,
          "Also serve backchat.bench.v1.EchoService, the benchmark's baseline.");
ABSL_FLAG(int, record_retention_days, 0,
          "Delete triage records older than this many days (0: keep them).");
ABSL_FLAG(absl::Duration, session_idle_timeout, absl::Minutes(30),
          "A session unused for this long is forgotten.");
ABSL_FLAG(int64_t, max_sessions, 100000,
          "Most live sessions: the memory store then forgets the session idle "
          "longest; durable stores refuse new sessions (RESOURCE_EXHAUSTED).");
ABSL_FLAG(int, http_port, -1,
          "HTTP/1.1 port for browsers (Connect, gRPC-Web, /widget.js); 0 picks "
          "a free one, -1 turns it off.");
ABSL_FLAG(std::string, http_port_file, "",
          "If set, the bound HTTP port is written to this file once serving.");
ABSL_FLAG(std::string, http_allowed_origins, "",
          "Comma-separated web origins allowed to call the API from a browser "
          "(CORS), e.g. https://clinic.example. The server's own origin is "
          "always allowed; nothing else is by default.");
ABSL_FLAG(std::string, web_dir, "build/web",
          "Folder of files served over HTTP: widget.js and the example page.");
ABSL_FLAG(int64_t, http_max_body_bytes, 64 * 1024,
          "Largest HTTP request body accepted (larger: 413).");
ABSL_FLAG(int, http_max_connections, 256,
          "Most open HTTP connections (more: 503).");

namespace {

int Fail(const std::string& message) {
  std::cerr << "backchat_server: " << message << "\n";
  return 1;
}

void LogDialogs(const backchat::engine::DialogRegistry& dialogs,
                absl::string_view verb) {
  for (const auto& bundle : dialogs.All()) {
    std::vector<std::string> locales;
    for (const auto& language : bundle->Languages()) {
      locales.push_back(language->locale);
    }
    const auto& check = bundle->check_report();
    std::cerr << absl::StrFormat(
        "backchat_server: %s dialog \"%s\" version %s from %s (%d questions, "
        "%d red flags; languages %s; checked safe over %d paths)\n",
        verb, bundle->id(), bundle->version(), bundle->base().source_path,
        bundle->base().questions.size(), bundle->base().red_flags.size(),
        absl::StrJoin(locales, ", "), check.explored.paths);
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves BackChat's triage API over gRPC.\n"
      "  backchat_server --dialogs=dialogs --port=50051");
  absl::ParseCommandLine(argc, argv);
  // Abseil's mutex deadlock detector, on in Debian's build, costs a graph
  // lookup on every lock (1-2% of the server's CPU, by perf); the locks here
  // are leaf locks that never nest.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  const int port = absl::GetFlag(FLAGS_port);
  if (port < 0 || port > 65535) {
    return Fail(absl::StrCat("--port=", port, " is not a port (0-65535)"));
  }
  const int http_port = absl::GetFlag(FLAGS_http_port);
  if (http_port < -1 || http_port > 65535) {
    return Fail(absl::StrCat("--http_port=", http_port,
                             " is not a port (0-65535, or -1 for none)"));
  }
  auto cors = backchat::http::CorsPolicy::Parse(absl::GetFlag(FLAGS_http_allowed_origins));
  if (!cors.ok()) {
    return Fail(absl::StrCat("--http_allowed_origins: ", cors.status().message()));
  }
  if (absl::GetFlag(FLAGS_http_max_body_bytes) < 1024 ||
      absl::GetFlag(FLAGS_http_max_connections) < 1) {
    return Fail("--http_max_body_bytes must be at least 1024 and "
                "--http_max_connections at least 1");
  }
  const absl::Duration idle = absl::GetFlag(FLAGS_session_idle_timeout);
  if (idle <= absl::ZeroDuration()) {
    return Fail("--session_idle_timeout must be positive, e.g. 30m");
  }
  if (absl::GetFlag(FLAGS_max_sessions) < 1) {
    return Fail("--max_sessions must be at least 1");
  }

  auto dialogs = backchat::engine::DialogRegistry::LoadDirectory(
      absl::GetFlag(FLAGS_dialogs), absl::GetFlag(FLAGS_default_dialog));
  if (!dialogs.ok()) {
    return Fail(absl::StrCat("cannot load dialogs:\n", dialogs.status().message()));
  }
  LogDialogs(**dialogs, "loaded");

  const std::string synchronous = absl::GetFlag(FLAGS_sqlite_synchronous);
  if (synchronous != "normal" && synchronous != "full") {
    return Fail("--sqlite_synchronous must be normal or full");
  }
  backchat::store::StoreConfig store_config;
  store_config.kind = absl::GetFlag(FLAGS_store);
  store_config.sqlite_path = absl::GetFlag(FLAGS_sqlite_path);
  store_config.sqlite_synchronous_full = synchronous == "full";
  store_config.redis_address = absl::GetFlag(FLAGS_redis_address);
  store_config.redis_database = absl::GetFlag(FLAGS_redis_database);
  store_config.idle_timeout = idle;
  store_config.max_sessions = static_cast<size_t>(absl::GetFlag(FLAGS_max_sessions));
  backchat::store::SessionCodec codec(dialogs->get());
  auto sessions = backchat::store::OpenSessionStore(store_config, &codec);
  if (!sessions.ok()) return Fail(std::string(sessions.status().message()));
  auto records = backchat::records::OpenRecordStore(store_config);
  if (!records.ok()) return Fail(std::string(records.status().message()));
  std::unique_ptr<backchat::records::RecordRetention> retention;
  if (absl::GetFlag(FLAGS_record_retention_days) > 0) {
    retention = std::make_unique<backchat::records::RecordRetention>(
        records->get(), absl::Hours(24) * absl::GetFlag(FLAGS_record_retention_days),
        absl::Hours(1));
  }
  backchat::api::Conversations conversations(dialogs->get(), sessions->get(),
                                             records->get());

  // Block the signals we handle before gRPC starts its threads, so that
  // they inherit the mask and only sigwait below receives them.
  sigset_t handled_signals;
  sigemptyset(&handled_signals);
  sigaddset(&handled_signals, SIGINT);
  sigaddset(&handled_signals, SIGTERM);
  sigaddset(&handled_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &handled_signals, nullptr);

  backchat::api::ServerOptions options;
  options.address = absl::GetFlag(FLAGS_address);
  options.port = port;
  options.serve_echo = absl::GetFlag(FLAGS_serve_echo);
  auto server = backchat::api::BackchatServer::Start(options, &conversations,
                                                     dialogs->get(), records->get());
  if (!server.ok()) return Fail(std::string(server.status().message()));

  std::cerr << "backchat_server: listening on " << options.address << ":"
            << (*server)->port() << " ("
            << backchat::store::DescribeStore(store_config) << ")" << std::endl;
  std::unique_ptr<backchat::http::WebGateway> gateway;
  std::unique_ptr<backchat::http::HttpServer> http_server;
  if (http_port >= 0) {
    auto assets = backchat::http::WebAssets::Load(absl::GetFlag(FLAGS_web_dir));
    if (!assets.ok()) {
      // The API still works without the widget; say how to build it.
      std::cerr << "backchat_server: warning: " << assets.status().message()
                << "; /widget.js is not served (scripts/setup.sh builds it)"
                << std::endl;
      assets = backchat::http::WebAssets();
    }
    gateway = std::make_unique<backchat::http::WebGateway>(
        &conversations, *std::move(cors), *std::move(assets));
    backchat::http::HttpServerOptions http_options;
    http_options.address = options.address;
    http_options.port = http_port;
    http_options.max_body_bytes =
        static_cast<size_t>(absl::GetFlag(FLAGS_http_max_body_bytes));
    http_options.max_connections = absl::GetFlag(FLAGS_http_max_connections);
    auto started = backchat::http::HttpServer::Start(
        http_options, [g = gateway.get()](const backchat::http::HttpRequest& request,
                                          backchat::http::HttpResponse* response) {
          g->Handle(request, response);
        });
    if (!started.ok()) return Fail(std::string(started.status().message()));
    http_server = *std::move(started);
    std::cerr << "backchat_server: HTTP (Connect, gRPC-Web, /widget.js) on "
              << options.address << ":" << http_server->port() << std::endl;
  }
  if (!backchat::WritePortFile(absl::GetFlag(FLAGS_port_file), (*server)->port()) ||
      (http_server != nullptr &&
       !backchat::WritePortFile(absl::GetFlag(FLAGS_http_port_file), http_server->port()))) {
    return Fail("cannot write --port_file or --http_port_file");
  }

  // SIGHUP reloads the dialogs; SIGINT and SIGTERM shut down.
  int signal_number = 0;
  while (sigwait(&handled_signals, &signal_number) == 0 &&
         signal_number == SIGHUP) {
    const absl::Status reloaded = (*dialogs)->Reload();
    if (reloaded.ok()) {
      LogDialogs(**dialogs, "reloaded");
    } else {
      std::cerr << "backchat_server: " << reloaded.message() << std::endl;
    }
  }
  std::cerr << "backchat_server: " << strsignal(signal_number)
            << " received, shutting down" << std::endl;
  if (http_server != nullptr) http_server->Shutdown();
  (*server)->Shutdown(absl::Seconds(5));
  (*server)->Wait();
  std::cerr << "backchat_server: stopped" << std::endl;
  return 0;
}
