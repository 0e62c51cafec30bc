// backchat_server: serves the triage API for the dialogs in a directory.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <optional>
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
#include "service/api/care_actions.h"
#include "service/api/conversations.h"
#include "service/api/server.h"
#include "service/common/flag_sources.h"
#include "service/common/port_file.h"
#include "service/observability/access_log.h"
#include "service/observability/metrics.h"
#include "service/security/api_keys.h"
#include "service/security/client_limits.h"
#include "service/security/tls_files.h"
#include "service/api/store_probe.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/common/http/http_server.h"
#include "service/http/web_gateway.h"
#include "service/records/batched_outcome_counts.h"
#include "service/records/outcome_count_stores.h"
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
ABSL_FLAG(std::string, care_contacts, "",
          "Text-format CareContacts file (deploy/care_contacts.example.textproto): "
          "the numbers to call and the booking page offered with outcomes, per "
          "language; reloaded on SIGHUP. Empty: outcomes offer no actions.");
ABSL_FLAG(bool, require_approved_dialogs, false,
          "Serve only dialog versions a clinician approved in the dialogs directory's "
          "approvals.txtpb: an unapproved version is refused at start-up and on reload "
          "(the approved one keeps serving).");
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
          "Delete triage records, and the dashboard's counts, older than this many days "
          "(0: keep them).");
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
ABSL_FLAG(int, http_max_connections, 2048,
          "Most open HTTP connections in all (more: 503). An idle connection "
          "costs a socket and a buffer, not a thread.");
ABSL_FLAG(int, http_max_connections_per_address, 64,
          "Most open HTTP connections from one client address (more: 503), so "
          "one client cannot take every slot; 0: no such cap (behind a reverse "
          "proxy, where every client has the proxy's address).");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain for TLS on the gRPC and HTTP listeners.");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file.");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA that client certificates are verified against (asked for, "
          "not required, except by --admin_require_client_cert).");
ABSL_FLAG(bool, admin_require_client_cert, false,
          "Admin calls also need a verified client certificate (needs "
          "--tls_client_ca_file).");
ABSL_FLAG(bool, plaintext, false,
          "Serve without TLS. Only for local use (the quick start); logged as a "
          "warning. Without it, --tls_cert_file and --tls_key_file are required.");
ABSL_FLAG(std::string, admin_keys_file, "",
          "API keys for admin calls and /metrics: lines of NAME SCOPES KEY "
          "(reloaded on SIGHUP). Without it admin calls are refused.");
ABSL_FLAG(double, rate_limit_per_second, 20,
          "Calls per second each client address may make on average (0: no "
          "limits).");
ABSL_FLAG(double, rate_limit_burst, 40, "Calls a client may make at once.");
ABSL_FLAG(std::vector<std::string>, rate_limit_exempt, {},
          "Comma-separated client addresses never limited: the chat bridges, "
          "which carry many people's conversations from one address.");
ABSL_FLAG(int, sessions_per_minute_per_client, 30,
          "Conversations one client address may start per minute (0: no cap).");
ABSL_FLAG(int, max_message_bytes, 64 * 1024, "Largest gRPC request accepted.");
ABSL_FLAG(int, max_concurrent_streams, 100, "gRPC calls in flight per connection.");
ABSL_FLAG(int, store_threads, -1,
          "Threads that run triage calls for a store that waits on I/O, so that the RPC threads "
          "never wait on it; more calls waiting together make bigger SQLite group commits and "
          "fuller Redis pipelines. -1: 4 for --store=sqlite or redis (the best measured on 2 "
          "cores), none for memory (its calls run on the RPC threads, which measured faster).");
ABSL_FLAG(std::string, access_log, "",
          "One JSON line per call: a file to append to, - for stderr, empty for none.");
ABSL_FLAG(absl::Duration, health_check_interval, absl::Seconds(5),
          "How often the session store is probed for the health service.");

namespace {

int Fail(const std::string& message) {
  std::cerr << "backchat_server: " << message << "\n";
  return 1;
}

std::string ApprovalText(const backchat::api::DialogApprovals& approvals,
                         const backchat::engine::DialogBundle& bundle) {
  auto approval = approvals.Find(bundle.id(), bundle.version());
  if (!approval) return "not approved in approvals.txtpb";
  return absl::StrCat("approved by ", approval->approver(), " (", approval->role(), ") on ",
                      approval->date());
}

void LogDialogs(const backchat::engine::DialogRegistry& dialogs,
                const backchat::api::DialogApprovals& approvals, absl::string_view verb) {
  for (const auto& bundle : dialogs.All()) {
    std::vector<std::string> locales;
    for (const auto& language : bundle->Languages()) {
      locales.push_back(language->locale);
    }
    const auto& check = bundle->check_report();
    std::cerr << absl::StrFormat(
        "backchat_server: %s dialog \"%s\" version %s from %s (%d questions, "
        "%d red flags; languages %s; checked safe over %d paths; %s)\n",
        verb, bundle->id(), bundle->version(), bundle->base().source_path,
        bundle->base().questions.size(), bundle->base().red_flags.size(),
        absl::StrJoin(locales, ", "), check.explored.paths, ApprovalText(approvals, *bundle));
  }
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves BackChat's triage API over gRPC.\n"
      "  backchat_server --dialogs=dialogs --port=50051");
  // Config file (--flagfile), then BACKCHAT_* variables, then the command line.
  std::vector<std::string> arguments = backchat::ArgumentsWithEnvironment(argc, argv);
  std::vector<char*> arg_pointers;
  for (std::string& argument : arguments) arg_pointers.push_back(argument.data());
  absl::ParseCommandLine(static_cast<int>(arg_pointers.size()), arg_pointers.data());
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
      absl::GetFlag(FLAGS_http_max_connections) < 1 ||
      absl::GetFlag(FLAGS_http_max_connections_per_address) < 0) {
    return Fail("--http_max_body_bytes must be at least 1024, "
                "--http_max_connections at least 1 and "
                "--http_max_connections_per_address at least 0");
  }
  // Transport security: TLS from files, or plaintext only when asked for.
  std::optional<backchat::security::TlsMaterial> tls;
  if (!absl::GetFlag(FLAGS_tls_cert_file).empty() || !absl::GetFlag(FLAGS_tls_key_file).empty()) {
    auto material = backchat::security::ReadTlsFiles({absl::GetFlag(FLAGS_tls_cert_file),
                                                     absl::GetFlag(FLAGS_tls_key_file),
                                                     absl::GetFlag(FLAGS_tls_client_ca_file)});
    if (!material.ok()) return Fail(std::string(material.status().message()));
    tls = *std::move(material);
  } else if (!absl::GetFlag(FLAGS_plaintext)) {
    return Fail("give --tls_cert_file and --tls_key_file, or --plaintext to serve "
                "without TLS (for local use only)");
  }
  if (absl::GetFlag(FLAGS_admin_require_client_cert) &&
      (!tls.has_value() || tls->client_ca.empty())) {
    return Fail("--admin_require_client_cert needs TLS with --tls_client_ca_file");
  }
  std::unique_ptr<backchat::security::ApiKeyring> keys =
      std::make_unique<backchat::security::ApiKeyring>();
  if (!absl::GetFlag(FLAGS_admin_keys_file).empty()) {
    auto loaded = backchat::security::ApiKeyring::Load(absl::GetFlag(FLAGS_admin_keys_file));
    if (!loaded.ok()) return Fail(std::string(loaded.status().message()));
    keys = *std::move(loaded);
  }
  if (absl::GetFlag(FLAGS_max_message_bytes) < 1024 ||
      absl::GetFlag(FLAGS_max_concurrent_streams) < 1 || absl::GetFlag(FLAGS_store_threads) < -1 ||
      absl::GetFlag(FLAGS_store_threads) > 256 ||
      absl::GetFlag(FLAGS_rate_limit_per_second) < 0 || absl::GetFlag(FLAGS_rate_limit_burst) < 1 ||
      absl::GetFlag(FLAGS_health_check_interval) <= absl::ZeroDuration()) {
    return Fail("--max_message_bytes must be at least 1024, --max_concurrent_streams and "
                "--rate_limit_burst at least 1, --rate_limit_per_second at least 0, "
                "--store_threads from -1 to 256, and --health_check_interval positive");
  }
  std::unique_ptr<backchat::observability::AccessLog> access_log;
  if (!absl::GetFlag(FLAGS_access_log).empty()) {
    auto opened = backchat::observability::AccessLog::Open(absl::GetFlag(FLAGS_access_log));
    if (!opened.ok()) return Fail(std::string(opened.status().message()));
    access_log = *std::move(opened);
  }
  backchat::observability::Metrics metrics;
  backchat::security::ClientLimitOptions limits;
  limits.calls_per_second = absl::GetFlag(FLAGS_rate_limit_per_second);
  limits.burst = absl::GetFlag(FLAGS_rate_limit_burst);
  limits.sessions_per_minute = absl::GetFlag(FLAGS_sessions_per_minute_per_client);
  limits.exempt = absl::GetFlag(FLAGS_rate_limit_exempt);
  backchat::security::ClientLimiter limiter(limits);
  std::atomic<bool> healthy{true};
  backchat::api::ServerGuards guards;
  guards.limiter = &limiter;
  guards.keys = keys.get();
  guards.metrics = &metrics;
  guards.access_log = access_log.get();
  guards.admin_requires_client_cert = absl::GetFlag(FLAGS_admin_require_client_cert);
  guards.healthy = &healthy;

  const absl::Duration idle = absl::GetFlag(FLAGS_session_idle_timeout);
  if (idle <= absl::ZeroDuration()) {
    return Fail("--session_idle_timeout must be positive, e.g. 30m");
  }
  if (absl::GetFlag(FLAGS_max_sessions) < 1) {
    return Fail("--max_sessions must be at least 1");
  }

  // Care contacts, and then dialogs that have the labels of their actions
  // and, with --require_approved_dialogs, a clinician's approval (the
  // approvals file is read at every load either way, for ListDialogs and
  // the metrics).
  std::unique_ptr<backchat::api::CareContactsFile> care;
  if (!absl::GetFlag(FLAGS_care_contacts).empty()) {
    auto loaded = backchat::api::CareContactsFile::Load(absl::GetFlag(FLAGS_care_contacts));
    if (!loaded.ok()) {
      return Fail(absl::StrCat("--care_contacts: ", loaded.status().message()));
    }
    care = *std::move(loaded);
  }
  backchat::api::DialogApprovals approvals(absl::GetFlag(FLAGS_dialogs),
                                           absl::GetFlag(FLAGS_require_approved_dialogs));
  const bool check_labels = care != nullptr;
  auto dialog_requirement = [&approvals, check_labels](const backchat::engine::DialogSet& set) {
    if (check_labels) {
      if (absl::Status labelled = backchat::api::CheckActionLabels(set); !labelled.ok()) {
        return labelled;
      }
    }
    return approvals.Check(set);
  };
  auto dialogs = backchat::engine::DialogRegistry::LoadDirectory(
      absl::GetFlag(FLAGS_dialogs), absl::GetFlag(FLAGS_default_dialog), dialog_requirement);
  if (!dialogs.ok()) {
    return Fail(absl::StrCat("cannot load dialogs:\n", dialogs.status().message()));
  }
  LogDialogs(**dialogs, approvals, "loaded");
  if (care != nullptr) {
    std::cerr << "backchat_server: care contacts from " << absl::GetFlag(FLAGS_care_contacts)
              << ": " << care->Describe() << std::endl;
  }

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
  auto counts = backchat::records::OpenOutcomeCounts(store_config);
  if (!counts.ok()) return Fail(std::string(counts.status().message()));
  // Counting a turn is then a map update; the store gets a batch a second.
  backchat::records::BatchedOutcomeCounts batched_counts(counts->get());
  std::unique_ptr<backchat::records::RecordRetention> retention;
  if (absl::GetFlag(FLAGS_record_retention_days) > 0) {
    retention = std::make_unique<backchat::records::RecordRetention>(
        records->get(), absl::Hours(24) * absl::GetFlag(FLAGS_record_retention_days),
        absl::Hours(1), &batched_counts);
  }
  backchat::api::Conversations conversations(dialogs->get(), sessions->get(),
                                             records->get());
  conversations.set_dashboard_counts(&batched_counts);
  backchat::api::AdminCalls admin_calls;
  admin_calls.reports.counts = &batched_counts;
  admin_calls.reports.idle_timeout = idle;
  admin_calls.reports.dialogs = dialogs->get();
  conversations.set_metrics(&metrics);
  conversations.set_care_contacts(care.get());
  metrics.SetLiveSessions([store = sessions->get()] { return store->LiveSessions(); });
  metrics.SetServingDialogs([&approvals, registry = dialogs->get()] {
    std::vector<backchat::observability::Metrics::ServingDialog> serving;
    for (const auto& bundle : registry->All()) {
      auto& d = serving.emplace_back();
      d.id = bundle->id();
      d.version = bundle->version();
      if (auto approval = approvals.Find(d.id, d.version)) {
        d.approved_by = approval->approver();
        d.approver_role = approval->role();
        d.approved_on = approval->date();
      }
    }
    return serving;
  });

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
  if (tls.has_value()) options.credentials = backchat::security::GrpcServerCredentials(*tls);
  options.max_receive_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  options.store_threads = absl::GetFlag(FLAGS_store_threads);
  if (options.store_threads < 0) options.store_threads = store_config.kind == "memory" ? 0 : 4;
  options.guards = guards;
  options.approvals = &approvals;
  options.admin_calls = &admin_calls;
  auto server = backchat::api::BackchatServer::Start(options, &conversations, dialogs->get(),
                                                     sessions->get(), records->get());
  if (!server.ok()) return Fail(std::string(server.status().message()));
  if (!tls.has_value()) {
    std::cerr << "backchat_server: warning: serving without TLS (--plaintext): for local "
                 "use only"
              << std::endl;
  }
  if (keys->size() == 0) {
    std::cerr << "backchat_server: no admin API keys (--admin_keys_file): admin calls and "
                 "/metrics are refused"
              << std::endl;
  }
  // The health service follows the session store.
  backchat::api::StoreProbe probe(sessions->get(), server->get(), &healthy,
                             absl::GetFlag(FLAGS_health_check_interval));

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
        &conversations, *std::move(cors), *std::move(assets), &guards, &admin_calls,
        (*server)->workers());
    backchat::http::HttpServerOptions http_options;
    http_options.address = options.address;
    http_options.port = http_port;
    http_options.max_body_bytes =
        static_cast<size_t>(absl::GetFlag(FLAGS_http_max_body_bytes));
    http_options.max_connections = absl::GetFlag(FLAGS_http_max_connections);
    http_options.max_connections_per_address =
        absl::GetFlag(FLAGS_http_max_connections_per_address);
    if (tls.has_value()) {
      auto context = backchat::security::HttpTlsContext(*tls);
      if (!context.ok()) return Fail(std::string(context.status().message()));
      http_options.tls = *std::move(context);
    }
    auto started = backchat::http::HttpServer::StartAsync(
        http_options, [g = gateway.get()](backchat::http::HttpRequest request,
                                          backchat::http::HttpReply reply) {
          g->Serve(std::move(request), std::move(reply));
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

  // SIGHUP reloads the dialogs, the care contacts and the keys; SIGINT and
  // SIGTERM shut down.
  int signal_number = 0;
  while (sigwait(&handled_signals, &signal_number) == 0 &&
         signal_number == SIGHUP) {
    const absl::Status reloaded = (*dialogs)->Reload();
    if (reloaded.ok()) {
      LogDialogs(**dialogs, approvals, "reloaded");
    } else {
      std::cerr << "backchat_server: " << reloaded.message() << std::endl;
    }
    if (care != nullptr) {
      const absl::Status care_reloaded = care->Reload();
      std::cerr << "backchat_server: "
                << (care_reloaded.ok()
                        ? absl::StrCat("reloaded care contacts: ", care->Describe())
                        : absl::StrCat("care contacts not reloaded; still serving the "
                                       "previous ones:\n",
                                       care_reloaded.message()))
                << std::endl;
    }
    const absl::Status keys_reloaded = keys->Reload();
    std::cerr << "backchat_server: "
              << (keys_reloaded.ok() ? absl::StrCat("admin API keys: ", keys->size())
                                     : std::string(keys_reloaded.message()))
              << std::endl;
  }
  std::cerr << "backchat_server: " << strsignal(signal_number)
            << " received, shutting down" << std::endl;
  probe.Stop();
  if (http_server != nullptr) http_server->Shutdown();
  (*server)->Shutdown(absl::Seconds(5));
  (*server)->Wait();
  // Calls still on the store's workers finish before the gateway and the
  // stores they use are destroyed.
  (*server)->workers()->Drain();
  // And calls answered once their writes are saved (deferred_writes.h):
  // a record follows its answer's session.
  (*sessions)->AwaitWrites();
  (*records)->AwaitWrites();
  std::cerr << "backchat_server: stopped" << std::endl;
  return 0;
}
