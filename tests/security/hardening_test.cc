// The server's hardening, through the real backchat_server process: TLS
// (and plaintext only when asked), admin API keys and their scopes and
// reload, privacy deletes, metrics, the access log, health following the
// store, and configuration from a file and the environment.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "backchat/admin/v1/admin.grpc.pb.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/codegen/rpc_method.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/http_client.h"
#include "tests/support/server_process.h"
#include "wire_contracts.pb.h"

namespace backchat::testing {
namespace {

namespace av1 = ::backchat::admin::v1;
namespace tv1 = ::backchat::triage::v1;
using ::testing::HasSubstr;

constexpr char kDialogsKey[] = "dialogs-key-0123456789abcdef0123";
constexpr char kMetricsKey[] = "metrics-key-0123456789abcdef0123";
constexpr char kPrivacyKey[] = "privacy-key-0123456789abcdef0123";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class HardeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = absl::StrCat(::testing::TempDir(), "/hardening_", getpid(), "_", info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    WriteKeys(absl::StrCat("dialogs dialogs ", kDialogsKey, "\nmetrics metrics ", kMetricsKey,
                           "\nprivacy privacy,records ", kPrivacyKey, "\n"));
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  void WriteKeys(const std::string& text) { std::ofstream(Path("keys")) << text; }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // The server with `flags` after the usual ones (no --plaintext: tests
  // that want it say so).
  void StartServer(const std::vector<std::string>& flags) {
    std::vector<std::string> args = {BACKCHAT_SERVER_BINARY_FOR_TESTS,
                                     absl::StrCat("--dialogs=", BACKCHAT_SOURCE_DIR, "/dialogs"),
                                     "--port=0", "--admin_keys_file=" + Path("keys")};
    args.insert(args.end(), flags.begin(), flags.end());
    auto server = ServerProcess::StartListening(args);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  std::shared_ptr<grpc::Channel> PlainChannel() {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                               grpc::InsecureChannelCredentials());
  }

  static std::unique_ptr<grpc::ClientContext> Context(const std::string& key = "") {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (!key.empty()) context->AddMetadata("authorization", "Bearer " + key);
    return context;
  }

  // A conversation to EMERGENCY in two calls; returns the session id.
  std::string EmergencyConversation(const std::shared_ptr<grpc::Channel>& channel) {
    auto stub = tv1::TriageService::NewStub(channel);
    tv1::StartSessionResponse started;
    const grpc::Status status = stub->StartSession(Context().get(), {}, &started);
    EXPECT_TRUE(status.ok()) << status.error_message();
    tv1::SubmitAnswerRequest answer;
    answer.set_session_id(started.turn().session_id());
    answer.add_option_ids("saddle_numbness");
    tv1::SubmitAnswerResponse answered;
    EXPECT_TRUE(stub->SubmitAnswer(Context().get(), answer, &answered).ok());
    EXPECT_EQ(answered.turn().outcome().level(), tv1::LEVEL_EMERGENCY);
    return started.turn().session_id();
  }

  grpc::StatusCode ListDialogs(const std::string& key, std::string* message = nullptr) {
    auto admin = av1::AdminService::NewStub(PlainChannel());
    av1::ListDialogsResponse response;
    const grpc::Status status = admin->ListDialogs(Context(key).get(), {}, &response);
    if (message != nullptr) *message = status.error_message();
    return status.error_code();
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(HardeningTest, RefusesToServeWithoutTlsUnlessPlaintextIsAskedFor) {
  auto server = ServerProcess::StartProgram(
      {BACKCHAT_SERVER_BINARY_FOR_TESTS, absl::StrCat("--dialogs=", BACKCHAT_SOURCE_DIR, "/dialogs"),
       "--port=0"},
      "listening on", absl::Seconds(10));
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.status().message(), HasSubstr("--tls_cert_file and --tls_key_file, or --plaintext"));
  StartServer({"--plaintext", "--store=memory"});
  EXPECT_THAT(server_->Log(), HasSubstr("warning: serving without TLS (--plaintext)"));
}

TEST_F(HardeningTest, AdminCallsNeedAKeyWithTheScopeAndKeysReloadOnSighup) {
  StartServer({"--plaintext", "--store=memory"});
  std::string message;
  EXPECT_EQ(ListDialogs("", &message), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(message, HasSubstr("authorization: Bearer KEY"));
  EXPECT_EQ(ListDialogs("wrong-key-0123456789abcdef01234"), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ListDialogs(kMetricsKey, &message), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(message, HasSubstr("lacks the \"dialogs\" scope"));
  EXPECT_EQ(ListDialogs(kDialogsKey), grpc::StatusCode::OK);

  // A new key file, read on SIGHUP while serving.
  WriteKeys("rotated dialogs rotated-key-0123456789abcdef012\n");
  kill(server_->pid(), SIGHUP);
  for (int i = 0; i < 100 && !absl::StrContains(server_->Log(), "admin API keys: 1"); ++i) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(ListDialogs(kDialogsKey), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ListDialogs("rotated-key-0123456789abcdef012"), grpc::StatusCode::OK);
}

TEST_F(HardeningTest, SessionsAndRecordsAreDeletedOnRequest) {
  StartServer({"--plaintext", "--store=sqlite", "--sqlite_path=" + Path("backchat.db")});
  const std::string session = EmergencyConversation(PlainChannel());
  auto admin = av1::AdminService::NewStub(PlainChannel());
  av1::ListRecordsResponse listed;
  ASSERT_TRUE(admin->ListRecords(Context(kPrivacyKey).get(), {}, &listed).ok());
  ASSERT_EQ(listed.records_size(), 1);
  const std::string record = listed.records(0).record_id();

  av1::DeleteRecordRequest delete_record;
  delete_record.set_record_id(record);
  av1::DeleteRecordResponse deleted_record;
  EXPECT_EQ(admin->DeleteRecord(Context(kDialogsKey).get(), delete_record, &deleted_record)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(admin->DeleteRecord(Context(kPrivacyKey).get(), delete_record, &deleted_record).ok());
  EXPECT_EQ(admin->DeleteRecord(Context(kPrivacyKey).get(), delete_record, &deleted_record)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  listed.Clear();
  ASSERT_TRUE(admin->ListRecords(Context(kPrivacyKey).get(), {}, &listed).ok());
  EXPECT_EQ(listed.records_size(), 0);

  av1::DeleteSessionRequest delete_session;
  delete_session.set_session_id(session);
  av1::DeleteSessionResponse deleted_session;
  EXPECT_TRUE(
      admin->DeleteSession(Context(kPrivacyKey).get(), delete_session, &deleted_session).ok());
  auto triage = tv1::TriageService::NewStub(PlainChannel());
  tv1::GetSessionRequest get;
  get.set_session_id(session);
  tv1::GetSessionResponse got;
  EXPECT_EQ(triage->GetSession(Context().get(), get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // Gone from the file too (deleted content is overwritten), not only
  // from a cache.
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
  const std::string bytes = ReadFile(Path("backchat.db")) + ReadFile(Path("backchat.db-wal"));
  EXPECT_EQ(bytes.find(session), std::string::npos);
}

TEST_F(HardeningTest, MetricsAndAccessLog) {
  StartServer({"--plaintext", "--store=memory", "--http_port=0",
               "--http_port_file=" + Path("http_port"), "--access_log=" + Path("access.log")});
  const std::string grpc_session = EmergencyConversation(PlainChannel());
  const int http_port = WaitForPortFile(Path("http_port"));
  auto started = PostHttp(http_port, "/backchat.triage.v1.TriageService/StartSession",
                          "application/json", "{}");
  ASSERT_TRUE(started.ok());
  ASSERT_EQ(started->status, 200);

  auto get_metrics = [&](const std::string& key) {
    std::string raw = "GET /metrics HTTP/1.1\r\nHost: x\r\n";
    if (!key.empty()) raw += "Authorization: Bearer " + key + "\r\n";
    auto reply = SendRawHttp(http_port, raw + "\r\n");
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? *reply : HttpReply{};
  };
  EXPECT_EQ(get_metrics("").status, 401);
  EXPECT_EQ(get_metrics(kDialogsKey).status, 403);
  const HttpReply metrics = get_metrics(kMetricsKey);
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.Header("content-type"), HasSubstr("text/plain; version=0.0.4"));
  for (const char* line : {
           "backchat_conversations_started_total 2\n",
           "backchat_turns_total 1\n",
           "backchat_conversations_finished_total{level=\"EMERGENCY\"} 1\n",
           "backchat_conversations_finished_total{level=\"SELF_CARE\"} 0\n",
           "backchat_live_sessions 2\n",
           "backchat_calls_total{transport=\"grpc\",method=\"/backchat.triage.v1.TriageService/"
           "StartSession\",code=\"OK\"} 1\n",
           "backchat_calls_total{transport=\"http\",method=\"/backchat.triage.v1.TriageService/"
           "StartSession\",code=\"200\"} 1\n",
           "backchat_calls_total{transport=\"http\",method=\"/metrics\",code=\"401\"} 1\n",
           "backchat_call_duration_seconds_count{transport=\"grpc\",method=\"/"
           "backchat.triage.v1.TriageService/SubmitAnswer\"} 1\n",
           "backchat_call_duration_seconds_bucket{transport=\"grpc\",method=\"/"
           "backchat.triage.v1.TriageService/SubmitAnswer\",le=\"+Inf\"} 1\n",
       }) {
    EXPECT_THAT(metrics.body, HasSubstr(line));
  }

  // The access log: one JSON object per call, nothing about the person.
  server_->Stop(SIGTERM);
  const std::string log = ReadFile(Path("access.log"));
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    ++lines;
    google::protobuf::Struct entry;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &entry).ok())
        << line;
    for (const char* field : {"time", "transport", "method", "status", "latency_ms", "client"}) {
      EXPECT_TRUE(entry.fields().contains(field)) << field << " in " << line;
    }
    EXPECT_EQ(entry.fields().at("client").string_value().size(), 12u);
  }
  EXPECT_GE(lines, 6);
  EXPECT_THAT(log, HasSubstr("\"method\":\"/backchat.triage.v1.TriageService/SubmitAnswer\","
                             "\"status\":\"OK\""));
  EXPECT_EQ(log.find(grpc_session), std::string::npos);
  EXPECT_EQ(log.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(log.find("saddle"), std::string::npos);
}

TEST_F(HardeningTest, HealthFollowsTheStore) {
  const int redis_port = 21000 + getpid() % 20000;
  auto start_redis = [&] {
    auto redis = ServerProcess::StartProgram(
        {"/usr/bin/redis-server", "--port", absl::StrCat(redis_port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no"},
        "Ready to accept connections");
    EXPECT_TRUE(redis.ok()) << redis.status();
    return redis.ok() ? *std::move(redis) : nullptr;
  };
  auto redis = start_redis();
  ASSERT_NE(redis, nullptr);
  StartServer({"--plaintext", "--store=redis", absl::StrCat("--redis_address=127.0.0.1:", redis_port),
               "--health_check_interval=100ms", "--http_port=0",
               "--http_port_file=" + Path("http_port")});
  const int http_port = WaitForPortFile(Path("http_port"));
  const auto channel = PlainChannel();
  // The method is registered with the channel it is called on.
  const grpc::internal::RpcMethod check("/grpc.health.v1.Health/Check",
                                        grpc::internal::RpcMethod::NORMAL_RPC, channel);
  auto health = [&]() {
    wire::HealthCheckResponse response;
    const grpc::Status status = grpc::internal::BlockingUnaryCall(
        channel.get(), check, Context().get(), wire::HealthCheckRequest(), &response);
    return status.ok() ? response.status() : wire::HealthCheckResponse::UNKNOWN;
  };
  auto wait_for = [&](wire::HealthCheckResponse::ServingStatus want) {
    for (int i = 0; i < 100 && health() != want; ++i) absl::SleepFor(absl::Milliseconds(50));
    return health();
  };
  EXPECT_EQ(wait_for(wire::HealthCheckResponse::SERVING), wire::HealthCheckResponse::SERVING);
  redis->Stop(SIGKILL);
  EXPECT_EQ(wait_for(wire::HealthCheckResponse::NOT_SERVING),
            wire::HealthCheckResponse::NOT_SERVING);
  auto healthz = SendRawHttp(http_port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(healthz.ok());
  EXPECT_EQ(healthz->status, 503);
  redis = start_redis();
  EXPECT_EQ(wait_for(wire::HealthCheckResponse::SERVING), wire::HealthCheckResponse::SERVING);
  EXPECT_THAT(server_->Log(), HasSubstr("health: NOT_SERVING"));
}

// Certificates made with the openssl tool: a CA, the server's (for
// 127.0.0.1) and a client's.
class TlsTest : public HardeningTest {
 protected:
  void SetUp() override {
    HardeningTest::SetUp();
    const std::string script = absl::StrCat(
        "cd '", dir_, "' && exec >openssl.log 2>&1 && ",
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
        "-subj /CN=test-ca -keyout ca.key -out ca.pem && ",
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost "
        "-keyout server.key -out server.csr && ",
        "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > server.ext && ",
        "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-extfile server.ext -out server.pem && ",
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=operator "
        "-keyout client.key -out client.csr && ",
        "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-out client.pem");
    ASSERT_EQ(std::system(script.c_str()), 0) << ReadFile(Path("openssl.log"));
  }

  std::shared_ptr<grpc::Channel> TlsChannel(bool with_client_cert) {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = ReadFile(Path("ca.pem"));
    if (with_client_cert) {
      options.pem_private_key = ReadFile(Path("client.key"));
      options.pem_cert_chain = ReadFile(Path("client.pem"));
    }
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                               grpc::SslCredentials(options));
  }
};

TEST_F(TlsTest, BothListenersServeTlsAndAdminNeedsAClientCertificate) {
  StartServer({"--store=memory", "--tls_cert_file=" + Path("server.pem"),
               "--tls_key_file=" + Path("server.key"), "--tls_client_ca_file=" + Path("ca.pem"),
               "--admin_require_client_cert", "--http_port=0",
               "--http_port_file=" + Path("http_port")});
  EXPECT_THAT(server_->Log(), ::testing::Not(HasSubstr("without TLS")));
  // Patients: TLS, no client certificate needed.
  EmergencyConversation(TlsChannel(false));
  // Plaintext is refused.
  auto plain = tv1::TriageService::NewStub(PlainChannel());
  tv1::StartSessionResponse started;
  EXPECT_EQ(plain->StartSession(Context().get(), {}, &started).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // Admin: the key is not enough without the certificate.
  for (bool with_cert : {false, true}) {
    auto admin = av1::AdminService::NewStub(TlsChannel(with_cert));
    av1::ListDialogsResponse dialogs;
    const grpc::Status status = admin->ListDialogs(Context(kDialogsKey).get(), {}, &dialogs);
    if (with_cert) {
      EXPECT_TRUE(status.ok()) << status.error_message();
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
      EXPECT_THAT(status.error_message(), HasSubstr("client certificate"));
    }
  }
  // HTTPS, checked by curl against the CA.
  const int port = WaitForPortFile(Path("http_port"));
  const std::string curl = absl::StrCat("curl -sS --max-time 5 --cacert '", Path("ca.pem"),
                                        "' https://127.0.0.1:", port,
                                        "/healthz > '", Path("curl.out"), "' 2>&1");
  EXPECT_EQ(std::system(curl.c_str()), 0) << ReadFile(Path("curl.out"));
  EXPECT_EQ(ReadFile(Path("curl.out")), "ok\n");
  auto plain_http = SendRawHttp(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(!plain_http.ok() || plain_http->status != 200) << "plain HTTP was served";
}

TEST_F(TlsTest, TheCliConnectsWithTheCa) {
  StartServer({"--store=memory", "--tls_cert_file=" + Path("server.pem"),
               "--tls_key_file=" + Path("server.key")});
  const std::string run = absl::StrCat(BACKCHAT_CLI_BINARY_FOR_TESTS, " --server=127.0.0.1:",
                                       server_->port(), " --ca_file='", Path("ca.pem"),
                                       "' run 2 > '", Path("cli.out"), "' 2>&1");
  EXPECT_EQ(std::system(run.c_str()), 0) << ReadFile(Path("cli.out"));
  EXPECT_THAT(ReadFile(Path("cli.out")), HasSubstr("=== EMERGENCY ==="));
  // Without the CA the certificate is not trusted.
  const std::string untrusted = absl::StrCat(BACKCHAT_CLI_BINARY_FOR_TESTS,
                                             " --timeout=2s --server=127.0.0.1:", server_->port(),
                                             " run 2 > /dev/null 2>&1");
  EXPECT_NE(std::system(untrusted.c_str()), 0);
}

TEST_F(TlsTest, BadCertificateFilesStopStartupWithTheirNames) {
  std::ofstream(Path("not_pem")) << "hello";
  auto server = ServerProcess::StartProgram(
      {BACKCHAT_SERVER_BINARY_FOR_TESTS, "--port=0",
       "--tls_cert_file=" + Path("not_pem"), "--tls_key_file=" + Path("server.key")},
      "listening on", absl::Seconds(10));
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.status().message(), HasSubstr("--tls_cert_file=" + Path("not_pem") + ": not a PEM file"));
  server = ServerProcess::StartProgram(
      {BACKCHAT_SERVER_BINARY_FOR_TESTS, "--port=0", "--tls_cert_file=" + Path("server.pem"),
       "--tls_key_file=" + Path("client.key")},
      "listening on", absl::Seconds(10));
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(std::string(server.status().message()), HasSubstr("does not match the certificate"));
}

TEST_F(HardeningTest, ConfigFileThenEnvironmentThenCommandLine) {
  std::ofstream(Path("backchat.flags")) << "--plaintext\n--store=memory\n--access_log="
                                        << Path("from_file.log") << "\n";
  setenv("BACKCHAT_ACCESS_LOG", Path("from_env.log").c_str(), 1);
  StartServer({"--flagfile=" + Path("backchat.flags")});
  EmergencyConversation(PlainChannel());
  server_->Stop(SIGTERM);
  EXPECT_FALSE(ReadFile(Path("from_env.log")).empty()) << "the environment beats the file";
  EXPECT_TRUE(ReadFile(Path("from_file.log")).empty());

  StartServer({"--flagfile=" + Path("backchat.flags"), "--access_log=" + Path("from_flag.log")});
  unsetenv("BACKCHAT_ACCESS_LOG");
  EmergencyConversation(PlainChannel());
  server_->Stop(SIGTERM);
  EXPECT_FALSE(ReadFile(Path("from_flag.log")).empty()) << "the command line beats both";
}

}  // namespace
}  // namespace backchat::testing
