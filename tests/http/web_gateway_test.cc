// The HTTP listener with the web gateway on a loopback port, next to the
// gRPC server: the same conversation through curl-style JSON and through
// gRPC gives the same turns; every protocol error gets its status; CORS;
// the widget files; connection limits and shutdown.
#include "service/http/web_gateway.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "backchat/triage/v1/triage.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "service/http/grpc_web_protocol.h"
#include "service/common/http/http_server.h"
#include "service/records/outcome_count_stores.h"
#include "service/store/memory_session_store.h"
#include "tests/support/care_contacts.h"
#include "tests/support/dialog_paths.h"
#include "tests/support/http_client.h"
#include "tests/support/live_server.h"

namespace backchat::http {
namespace {

namespace tv1 = ::backchat::triage::v1;
using ::backchat::testing::HttpReply;
using ::backchat::testing::PostHttp;
using ::backchat::testing::SendRawHttp;
using ::testing::HasSubstr;

constexpr char kPrefix[] = "/backchat.triage.v1.TriageService/";
constexpr char kClinic[] = "https://clinic.example";

class WebGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto live =
        backchat::testing::LiveServer::Start(dialogs_.get(), &sessions_);
    ASSERT_TRUE(live.ok()) << live.status();
    live_ = *std::move(live);
    stub_ = tv1::TriageService::NewStub(live_->channel());

    // One folder per process: ctest runs these tests in parallel processes.
    web_dir_ = std::filesystem::path(::testing::TempDir()) /
               absl::StrCat("web_gateway_test_", getpid());
    std::filesystem::create_directories(web_dir_ / "example");
    std::ofstream(web_dir_ / "widget.js") << "console.log('widget');";
    std::ofstream(web_dir_ / "big.js") << std::string(20000, 'w');
    std::ofstream(web_dir_ / "example" / "index.html")
        << "<!doctype html><p>clinic";
    StartHttp(HttpServerOptions{});
  }

  // `guards` and `admin` as WebGateway takes them (null: none).
  void StartHttp(HttpServerOptions options, const api::ServerGuards* guards = nullptr,
                 const api::AdminCalls* admin = nullptr) {
    http_.reset();
    auto cors = CorsPolicy::Parse(kClinic);
    ASSERT_TRUE(cors.ok()) << cors.status();
    auto assets = WebAssets::Load(web_dir_.string());
    ASSERT_TRUE(assets.ok()) << assets.status();
    gateway_ = std::make_unique<WebGateway>(&conversations_, *cors, *assets, guards, admin);
    options.port = 0;
    auto server = HttpServer::Start(
        options, [this](const HttpRequest& request, HttpResponse* response) {
          gateway_->Handle(request, response);
        });
    ASSERT_TRUE(server.ok()) << server.status();
    http_ = *std::move(server);
  }

  int port() const { return http_->port(); }

  // A bare socket to the listener, for bytes no HTTP client would send
  // (half requests, pipelines never read); -1 if it cannot connect.
  int ConnectRaw() const {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      close(fd);
      return -1;
    }
    return fd;
  }

  absl::StatusOr<HttpReply> PostJson(
      const std::string& method, const std::string& json,
      const std::vector<std::string>& headers = {}) {
    return PostHttp(port(), kPrefix + method, "application/json", json,
                    headers);
  }

  // One JSON call the way curl makes it; the reply parsed into `turn`.
  void CallJson(const std::string& method, const std::string& json,
                tv1::Turn* turn) {
    auto reply = PostJson(method, json);
    ASSERT_TRUE(reply.ok()) << reply.status();
    ASSERT_EQ(reply->status, 200) << reply->body;
    EXPECT_EQ(reply->Header("content-type"), "application/json");
    tv1::SubmitAnswerResponse response;  // every response is {turn}
    ASSERT_TRUE(
        google::protobuf::util::JsonStringToMessage(reply->body, &response)
            .ok())
        << reply->body;
    *turn = response.turn();
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    return context;
  }

  store::MemorySessionStore sessions_;
  std::unique_ptr<engine::DialogRegistry> dialogs_ =
      backchat::testing::LoadSourceDialogs();
  api::Conversations conversations_{dialogs_.get(), &sessions_};
  std::unique_ptr<backchat::testing::LiveServer> live_;
  std::unique_ptr<tv1::TriageService::Stub> stub_;
  std::filesystem::path web_dir_;
  std::unique_ptr<WebGateway> gateway_;
  std::unique_ptr<HttpServer> http_;

  void TearDown() override { std::filesystem::remove_all(web_dir_); }
};

// Both paths differ only in session ids.
bool SameTurn(const tv1::Turn& a, const tv1::Turn& b, std::string* report) {
  google::protobuf::util::MessageDifferencer differ;
  differ.IgnoreField(tv1::Turn::descriptor()->FindFieldByName("session_id"));
  differ.ReportDifferencesToString(report);
  return differ.Compare(a, b);
}

TEST_F(WebGatewayTest, JsonAndGrpcGiveTheSameConversationToEachLevel) {
  auto answers_for = [](const std::string& question,
                        const std::string& option) {
    backchat::testing::Answers answers =
        backchat::testing::BackPainSelfCareAnswers();
    answers[question] = {option};
    return answers;
  };
  const std::vector<std::pair<tv1::Level, backchat::testing::Answers>> paths = {
      {tv1::LEVEL_EMERGENCY, answers_for("warning_signs", "saddle_numbness")},
      {tv1::LEVEL_URGENT, answers_for("symptoms", "fever")},
      {tv1::LEVEL_SEE_DOCTOR, answers_for("injury", "minor_injury")},
      {tv1::LEVEL_SELF_CARE, backchat::testing::BackPainSelfCareAnswers()},
  };
  for (const auto& [level, answers] : paths) {
    tv1::Turn json_turn;
    CallJson("StartSession", R"({"locale": "es", "channel": "CHANNEL_WEB"})",
             &json_turn);
    tv1::StartSessionRequest start;
    start.set_locale("es");
    start.set_channel(tv1::CHANNEL_WEB);
    tv1::StartSessionResponse started;
    ASSERT_TRUE(stub_->StartSession(Context().get(), start, &started).ok());
    tv1::Turn grpc_turn = started.turn();
    for (int step = 0; step < 20 && grpc_turn.has_question(); ++step) {
      std::string report;
      ASSERT_TRUE(SameTurn(json_turn, grpc_turn, &report)) << report;
      const std::string question = grpc_turn.question().id();
      tv1::SubmitAnswerRequest answer;
      answer.set_session_id(grpc_turn.session_id());
      answer.set_question_id(question);
      std::string ids_json;
      for (const std::string& id : answers.at(question)) {
        answer.add_option_ids(id);
        absl::StrAppend(&ids_json, ids_json.empty() ? "" : ",", "\"", id, "\"");
      }
      tv1::SubmitAnswerResponse answered;
      ASSERT_TRUE(stub_->SubmitAnswer(Context().get(), answer, &answered).ok());
      grpc_turn = answered.turn();
      CallJson("SubmitAnswer",
               absl::StrCat(R"({"sessionId": ")", json_turn.session_id(),
                            R"(", "questionId": ")", question,
                            R"(", "optionIds": [)", ids_json, "]}"),
               &json_turn);
    }
    std::string report;
    EXPECT_TRUE(SameTurn(json_turn, grpc_turn, &report)) << report;
    EXPECT_EQ(json_turn.outcome().level(), level);
  }
}

TEST_F(WebGatewayTest, ConnectJsonCarriesTheOutcomesActionsAndTheAnswers) {
  auto contacts = api::ParseCareContacts(backchat::testing::kTestCareContacts, "test");
  ASSERT_TRUE(contacts.ok()) << contacts.status();
  auto care = api::CareContactsFile::FromContacts(*contacts);
  conversations_.set_care_contacts(care.get());
  tv1::Turn turn;
  CallJson("StartSession", R"({"locale": "en-GB"})", &turn);
  auto reply = PostJson(
      "SubmitAnswer",
      absl::StrCat(R"({"sessionId": ")", turn.session_id(),
                   R"(", "questionId": "warning_signs", "optionIds": ["saddle_numbness"]})"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->status, 200) << reply->body;
  // The names the widget reads (protobuf's JSON mapping).
  EXPECT_THAT(reply->body,
              HasSubstr(R"("actions":[{"kind":"ACTION_KIND_CALL_EMERGENCY","label":"Call 999 )"
                        R"(now","target":"tel:999","display":"999"}])"));
  EXPECT_THAT(reply->body,
              HasSubstr(R"("answers":[{"questionId":"warning_signs","questionText":"Do you )"
                        R"(have any of these right now? Choose all that apply.","chosen":[{"id":)"
                        R"("saddle_numbness","label":"Numbness around the genitals, buttocks or )"
                        R"(inner thighs")"));
  // GetSession over Connect gives the same outcome, actions and answers.
  auto again = PostJson("GetSession",
                        absl::StrCat(R"({"sessionId": ")", turn.session_id(), R"("})"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->body, reply->body);
  conversations_.set_care_contacts(nullptr);
}

TEST_F(WebGatewayTest, BinaryProtobufBodies) {
  tv1::StartSessionRequest request;
  request.set_locale("en");
  auto reply = PostHttp(port(), absl::StrCat(kPrefix, "StartSession"),
                        "application/proto", request.SerializeAsString());
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->status, 200);
  EXPECT_EQ(reply->Header("content-type"), "application/proto");
  tv1::StartSessionResponse response;
  ASSERT_TRUE(response.ParseFromString(reply->body));
  EXPECT_EQ(response.turn().question().id(), "warning_signs");
}

TEST_F(WebGatewayTest, GrpcWebTextRoundTrip) {
  tv1::StartSessionRequest request;
  request.set_locale("es");
  const std::string message = request.SerializeAsString();
  std::string framed(1, '\0');
  framed += std::string(3, '\0') + static_cast<char>(message.size());
  framed += message;
  auto reply = PostHttp(port(), absl::StrCat(kPrefix, "StartSession"),
                        "application/grpc-web-text", absl::Base64Escape(framed),
                        {"X-Grpc-Web: 1"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->status, 200);
  EXPECT_EQ(reply->Header("content-type"), "application/grpc-web-text+proto");
  auto body = DecodeGrpcWebText(reply->body);
  ASSERT_TRUE(body.ok()) << body.status();
  // Data frame, then the trailer frame with grpc-status 0.
  const size_t size = static_cast<uint8_t>((*body)[4]) |
                      (static_cast<uint8_t>((*body)[3]) << 8);
  tv1::StartSessionResponse response;
  ASSERT_TRUE(response.ParseFromString(body->substr(5, size)));
  EXPECT_EQ(response.turn().locale(), "es");
  EXPECT_THAT(body->substr(5 + size), HasSubstr("grpc-status:0"));
}

TEST_F(WebGatewayTest, GrpcWebErrorsTravelInTheTrailer) {
  auto reply =
      PostHttp(port(), absl::StrCat(kPrefix, "GetSession"),
               "application/grpc-web+proto", std::string("\0\0\0\0\0", 5));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 200);
  EXPECT_THAT(reply->body, HasSubstr("grpc-status:3"));  // empty session id
  EXPECT_THAT(reply->body, HasSubstr("grpc-message:session_id"));
}

struct BadRequest {
  const char* name;
  const char* content_type;
  const char* body;
  std::vector<std::string> headers;
  const char* method;
  int status;
  const char* code;
  const char* message;
};

class BadRequestTest : public WebGatewayTest,
                       public ::testing::WithParamInterface<BadRequest> {};

TEST_P(BadRequestTest, GetsAConnectErrorWithTheRightStatus) {
  const BadRequest& bad = GetParam();
  auto reply = PostHttp(port(), absl::StrCat(kPrefix, bad.method),
                        bad.content_type, bad.body, bad.headers);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, bad.status) << reply->body;
  EXPECT_EQ(reply->Header("content-type"), "application/json");
  EXPECT_THAT(reply->body,
              HasSubstr(absl::StrCat(R"("code":")", bad.code, R"(")")));
  EXPECT_THAT(reply->body, HasSubstr(bad.message));
}

INSTANTIATE_TEST_SUITE_P(
    Requests, BadRequestTest,
    ::testing::Values(
        BadRequest{"MalformedJson",
                   "application/json",
                   "{\"locale\": ",
                   {},
                   "StartSession",
                   400,
                   "invalid_argument",
                   "not JSON for backchat.triage.v1.StartSessionRequest"},
        BadRequest{"WrongFieldType",
                   "application/json",
                   "{\"locale\": 5}",
                   {},
                   "StartSession",
                   400,
                   "invalid_argument",
                   "not JSON"},
        BadRequest{"MalformedProto",
                   "application/proto",
                   "\xff\xff\xff",
                   {},
                   "StartSession",
                   400,
                   "invalid_argument",
                   "not a binary"},
        BadRequest{"UnknownMethod",
                   "application/json",
                   "{}",
                   {},
                   "DeleteEverything",
                   404,
                   "unimplemented",
                   "no method"},
        BadRequest{"WrongContentType",
                   "text/plain",
                   "{}",
                   {},
                   "StartSession",
                   415,
                   "invalid_argument",
                   "application/json"},
        BadRequest{"FutureProtocolVersion",
                   "application/json",
                   "{}",
                   {"Connect-Protocol-Version: 2"},
                   "StartSession",
                   400,
                   "invalid_argument",
                   "Connect-Protocol-Version"},
        BadRequest{"Compressed",
                   "application/json",
                   "{}",
                   {"Content-Encoding: gzip"},
                   "StartSession",
                   501,
                   "unimplemented",
                   "Content-Encoding"},
        BadRequest{"UnknownSession",
                   "application/json",
                   "{\"sessionId\": \"0123456789abcdef0123456789abcdef\"}",
                   {},
                   "GetSession",
                   404,
                   "not_found",
                   "session"},
        BadRequest{"OriginNotAllowed",
                   "application/json",
                   "{}",
                   {"Origin: https://elsewhere.example"},
                   "StartSession",
                   403,
                   "permission_denied",
                   "--http_allowed_origins"}),
    [](const auto& info) { return info.param.name; });

TEST_F(WebGatewayTest, GetOnAnRpcIs405) {
  auto reply = SendRawHttp(
      port(), absl::StrCat("GET ", kPrefix,
                           "StartSession HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 405);
  EXPECT_EQ(reply->Header("allow"), "POST");
}

TEST_F(WebGatewayTest, BodiesOverTheLimitAre413AndHeadsOverTheLimit431) {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  options.max_head_bytes = 1024;
  StartHttp(options);
  auto big_body = PostJson("StartSession", std::string(2000, ' '));
  ASSERT_TRUE(big_body.ok()) << big_body.status();
  EXPECT_EQ(big_body->status, 413);
  auto big_head =
      PostJson("StartSession", "{}", {"X-Padding: " + std::string(2000, 'a')});
  ASSERT_TRUE(big_head.ok()) << big_head.status();
  EXPECT_EQ(big_head->status, 431);
  // And the server still serves.
  auto fine = PostJson("StartSession", "{}");
  ASSERT_TRUE(fine.ok()) << fine.status();
  EXPECT_EQ(fine->status, 200);
}

TEST_F(WebGatewayTest, MalformedHttpGets400AndTheServerCarriesOn) {
  auto reply = SendRawHttp(port(), "HELLO\r\n\r\n");
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 400);
  auto fine = PostJson("StartSession", "{}");
  ASSERT_TRUE(fine.ok()) << fine.status();
  EXPECT_EQ(fine->status, 200);
}

TEST_F(WebGatewayTest, CorsAllowsListedAndOwnOriginsOnly) {
  const std::string preflight =
      absl::StrCat("OPTIONS ", kPrefix,
                   "StartSession HTTP/1.1\r\nHost: x\r\nOrigin: ", kClinic,
                   "\r\nAccess-Control-Request-Method: POST\r\n"
                   "Access-Control-Request-Headers: "
                   "content-type,connect-protocol-version\r\n\r\n");
  auto allowed = SendRawHttp(port(), preflight);
  ASSERT_TRUE(allowed.ok()) << allowed.status();
  EXPECT_EQ(allowed->status, 204);
  EXPECT_EQ(allowed->Header("access-control-allow-origin"), kClinic);
  EXPECT_THAT(allowed->Header("access-control-allow-headers"),
              HasSubstr("connect-protocol-version"));
  EXPECT_THAT(allowed->Header("access-control-allow-methods"),
              HasSubstr("POST"));

  std::string other = preflight;
  other.replace(other.find(kClinic), strlen(kClinic), "https://evil.example");
  auto denied = SendRawHttp(port(), other);
  ASSERT_TRUE(denied.ok()) << denied.status();
  EXPECT_EQ(denied->status, 403);
  EXPECT_EQ(denied->Header("access-control-allow-origin"), "");

  auto listed =
      PostJson("StartSession", "{}", {absl::StrCat("Origin: ", kClinic)});
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->status, 200);
  EXPECT_EQ(listed->Header("access-control-allow-origin"), kClinic);
  EXPECT_THAT(listed->Header("access-control-expose-headers"),
              HasSubstr("grpc-status"));

  // The server's own origin (the Host it was reached at) needs no listing.
  auto own = PostJson("StartSession", "{}",
                      {absl::StrCat("Origin: http://127.0.0.1:", port())});
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->status, 200);

  // Not a browser: no Origin, no CORS headers.
  auto plain = PostJson("StartSession", "{}");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->Header("access-control-allow-origin"), "");
}

TEST(CorsPolicyTest, RefusesWildcardsAndPaths) {
  EXPECT_THAT(CorsPolicy::Parse("*").status().message(), HasSubstr("refused"));
  EXPECT_THAT(CorsPolicy::Parse("https://a.example/path").status().message(),
              HasSubstr("https://a.example/path"));
  EXPECT_FALSE(CorsPolicy::Parse("ftp://a.example").ok());
  EXPECT_FALSE(CorsPolicy::Parse("https://a.example:99999").ok());
  EXPECT_TRUE(
      CorsPolicy::Parse("https://a.example, http://localhost:3000").ok());
  EXPECT_TRUE(CorsPolicy::Parse("").ok());
}

TEST_F(WebGatewayTest, ServesTheWidgetWithAnETag) {
  auto widget =
      SendRawHttp(port(), "GET /widget.js HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(widget.ok()) << widget.status();
  EXPECT_EQ(widget->status, 200);
  EXPECT_EQ(widget->body, "console.log('widget');");
  EXPECT_THAT(widget->Header("content-type"), HasSubstr("javascript"));
  const std::string etag = widget->Header("etag");
  ASSERT_FALSE(etag.empty());
  auto cached = SendRawHttp(
      port(), absl::StrCat(
                  "GET /widget.js HTTP/1.1\r\nHost: x\r\nIf-None-Match: ", etag,
                  "\r\n\r\n"));
  ASSERT_TRUE(cached.ok()) << cached.status();
  EXPECT_EQ(cached->status, 304);
  EXPECT_EQ(cached->body, "");

  auto page = SendRawHttp(port(), "GET /example/ HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("clinic"));
  auto missing =
      SendRawHttp(port(), "GET /../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_EQ(missing->status, 404);
}

// The admin calls of api/admin_rpcs.h, from their table, each behind its
// scope; the dashboard's page with its policy. (Its numbers are checked in
// tests/api/dashboard_report_test.cc and tests/web/dashboard.test.mjs.)
TEST_F(WebGatewayTest, AdminCallsAreServedFromTheirTableBehindTheirScope) {
  const std::string report = "/backchat.admin.v1.AdminService/GetReport";
  auto off = PostHttp(port(), report, "application/json", "{}");
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_EQ(off->status, 404) << "a gateway without admin calls serves none";

  constexpr char kReports[] = "gateway-reports-key-0123456789abcdef";
  constexpr char kMetrics[] = "gateway-metrics-key-0123456789abcdef";
  auto keys = security::ApiKeyring::FromKeys(
      {{"clinic", {"reports"}, kReports}, {"grafana", {"metrics"}, kMetrics}});
  api::ServerGuards guards;
  guards.keys = keys.get();
  records::MemoryOutcomeCounts counts;
  api::AdminCalls admin;
  admin.reports.counts = &counts;
  std::filesystem::create_directories(web_dir_ / "admin");
  std::ofstream(web_dir_ / "admin" / "index.html") << "<!doctype html><p>dashboard";
  StartHttp(HttpServerOptions{}, &guards, &admin);

  const auto post = [&](const std::string& path, const std::string& key) {
    std::vector<std::string> headers;
    if (!key.empty()) headers.push_back(absl::StrCat("Authorization: Bearer ", key));
    auto reply = PostHttp(port(), path, "application/json", "{}", headers);
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? *reply : HttpReply{};
  };
  HttpReply reply = post(report, "");
  EXPECT_EQ(reply.status, 401);
  EXPECT_THAT(reply.body, HasSubstr("\"code\":\"unauthenticated\""));
  EXPECT_EQ(reply.Header("www-authenticate"), "Bearer");
  reply = post(report, kMetrics);
  EXPECT_EQ(reply.status, 403);
  EXPECT_THAT(reply.body, HasSubstr("lacks the \\\"reports\\\" scope"));
  reply = post(report, kReports);
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_THAT(reply.body, HasSubstr("\"days\":["));
  reply = post("/backchat.admin.v1.AdminService/DeleteSession", kReports);
  EXPECT_EQ(reply.status, 404) << "only the table's admin calls are served over HTTP";
  EXPECT_THAT(reply.body, HasSubstr("no method"));

  auto page = SendRawHttp(port(), "GET /admin/ HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->Header("content-security-policy"),
              HasSubstr("default-src 'none'; script-src 'self'"));
  auto widget = SendRawHttp(port(), "GET /widget.js HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(widget.ok()) << widget.status();
  EXPECT_EQ(widget->Header("content-security-policy"), "") << "the widget's pages keep theirs";

  // A client certificate the HTTP listener cannot ask for: refused, saying where to call.
  guards.admin_requires_client_cert = true;
  reply = post(report, kReports);
  EXPECT_EQ(reply.status, 401);
  EXPECT_THAT(reply.body, HasSubstr("call over gRPC"));
}

// connect-node and other streaming clients send bodies chunked.
TEST_F(WebGatewayTest, ChunkedBodiesAreServed) {
  auto reply = SendRawHttp(
      port(), absl::StrCat("POST ", kPrefix,
                           "StartSession HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                           "1\r\n{\r\n1\r\n}\r\n0\r\n\r\n"));
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->status, 200) << reply->body;
  EXPECT_THAT(reply->body, HasSubstr("sessionId"));
}

TEST_F(WebGatewayTest, StaticFilesAreCompressedWhenAcceptedAndHeadCarriesTheLength) {
  const std::string get = "GET /big.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
  auto plain = SendRawHttp(port(), get + "\r\n");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->body.size(), 20000u);
  EXPECT_EQ(plain->Header("content-encoding"), "");
  EXPECT_EQ(plain->Header("vary"), "Accept-Encoding");

  auto brotli = SendRawHttp(port(), get + "Accept-Encoding: gzip, deflate, br\r\n\r\n");
  ASSERT_TRUE(brotli.ok()) << brotli.status();
  EXPECT_EQ(brotli->Header("content-encoding"), "br");
  EXPECT_LT(brotli->body.size(), 1000u);
  EXPECT_NE(brotli->Header("etag"), plain->Header("etag"));

  auto gzip = SendRawHttp(port(), get + "Accept-Encoding: gzip, br;q=0\r\n\r\n");
  ASSERT_TRUE(gzip.ok()) << gzip.status();
  EXPECT_EQ(gzip->Header("content-encoding"), "gzip");
  ASSERT_GE(gzip->body.size(), 2u);
  EXPECT_EQ(gzip->body.substr(0, 2), "\x1f\x8b");  // gzip's magic

  auto refused = SendRawHttp(port(), get + "Accept-Encoding: br;q=0, gzip;q=0\r\n\r\n");
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->Header("content-encoding"), "");
  EXPECT_EQ(refused->body.size(), 20000u);

  // HEAD: the GET's length, and nothing after the head (read to EOF; the
  // test client would wait for a body).
  const int fd = ConnectRaw();
  ASSERT_GE(fd, 0);
  const std::string head_request = "HEAD /big.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_GT(send(fd, head_request.data(), head_request.size(), MSG_NOSIGNAL), 0);
  std::string head;
  char chunk[4096];
  for (ssize_t n; head.size() < 100000 && (n = recv(fd, chunk, sizeof(chunk), 0)) > 0;) {
    head.append(chunk, static_cast<size_t>(n));
  }
  close(fd);
  EXPECT_THAT(head, HasSubstr("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(head, HasSubstr("Content-Length: 20000\r\n"));
  EXPECT_TRUE(absl::EndsWith(head, "\r\n\r\n")) << head;
}

// Idle connections cost no thread, but one address still cannot take every
// slot: its connections beyond the per-address cap are refused while
// another address is served.
TEST_F(WebGatewayTest, OneAddressCannotTakeEverySlot) {
  HttpServerOptions options;
  options.max_connections_per_address = 4;
  StartHttp(options);
  std::vector<std::unique_ptr<backchat::testing::HttpConnection>> held;
  for (int i = 0; i < 4; ++i) {
    auto connection = backchat::testing::HttpConnection::Open(port(), "127.0.0.2");
    ASSERT_TRUE(connection.ok()) << connection.status();
    held.push_back(*std::move(connection));
  }
  // Admission follows accept order; give the acceptor a moment for all four.
  absl::SleepFor(absl::Milliseconds(200));
  auto fifth = backchat::testing::HttpConnection::Open(port(), "127.0.0.2");
  ASSERT_TRUE(fifth.ok()) << fifth.status();
  auto refused = (*fifth)->Exchange("GET /widget.js HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->status, 503);
  auto other = backchat::testing::HttpConnection::Open(port(), "127.0.0.3");
  ASSERT_TRUE(other.ok()) << other.status();
  auto served = (*other)->Exchange("GET /widget.js HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(served.ok()) << served.status();
  EXPECT_EQ(served->status, 200);
}

// A client that pipelines requests and never reads the replies, and one
// that trickles a head, cannot hold shutdown past its 5 s bound.
TEST_F(WebGatewayTest, ShutdownIsBoundedWhateverClientsDo) {
  const int greedy = ConnectRaw();
  ASSERT_GE(greedy, 0);
  int small = 4096;
  setsockopt(greedy, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  const std::string request = "GET /big.js HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string pipeline;
  for (int i = 0; i < 200; ++i) pipeline += request;
  ASSERT_EQ(send(greedy, pipeline.data(), pipeline.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(pipeline.size()));
  const int trickle = ConnectRaw();
  ASSERT_GE(trickle, 0);
  ASSERT_GT(send(trickle, "GET / HT", 8, 0), 0);
  absl::SleepFor(absl::Milliseconds(300));  // the replies fill the buffers
  const absl::Time begun = absl::Now();
  http_->Shutdown();
  EXPECT_LT(absl::Now() - begun, absl::Seconds(5));
  close(greedy);
  close(trickle);
}

TEST_F(WebGatewayTest, ConnectionsOverTheCapGet503) {
  HttpServerOptions options;
  options.max_connections = 1;
  StartHttp(options);
  // Hold the only slot with a request that has not finished arriving.
  const int held = ConnectRaw();
  ASSERT_GE(held, 0);
  ASSERT_GT(send(held, "POST", 4, 0), 0);
  // The acceptor admits connections in order, so the next one is refused.
  auto refused = PostJson("StartSession", "{}");
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->status, 503);
  close(held);
  // Shutdown ends the server's wait on the half-sent request at once
  // (the test would time out otherwise).
  http_->Shutdown();
}

}  // namespace
}  // namespace backchat::http
