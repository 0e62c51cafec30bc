// Fuzzes what a browser's request goes through: the HTTP/1.1 parser,
// gRPC-Web framing (binary and base64 text), and the web gateway (Connect
// JSON and binary bodies, gRPC-Web, and FHIR $next-question bodies) down to
// the conversations on an in-memory store and the engine.
#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/strings/string_view.h"
#include "service/api/conversations.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/http/grpc_web_protocol.h"
#include "service/common/http/http_codec.h"
#include "service/http/web_gateway.h"
#include "service/store/memory_session_store.h"

namespace {

struct Backend {
  std::unique_ptr<backchat::engine::DialogRegistry> dialogs;
  std::unique_ptr<backchat::store::MemorySessionStore> sessions;
  std::unique_ptr<backchat::api::Conversations> conversations;
  std::unique_ptr<backchat::http::WebGateway> gateway;
};

Backend& TheBackend() {
  static Backend* backend = [] {
    auto* b = new Backend();
    auto dialogs = backchat::engine::DialogRegistry::LoadDirectory(
        BACKCHAT_SOURCE_DIR "/dialogs", "back_pain");
    if (!dialogs.ok()) __builtin_trap();
    b->dialogs = *std::move(dialogs);
    backchat::store::MemoryStoreOptions options;
    options.max_sessions = 1000;  // bounded memory however many starts
    b->sessions = std::make_unique<backchat::store::MemorySessionStore>(options);
    b->conversations =
        std::make_unique<backchat::api::Conversations>(b->dialogs.get(), b->sessions.get());
    b->gateway = std::make_unique<backchat::http::WebGateway>(
        b->conversations.get(), *backchat::http::CorsPolicy::Parse("https://clinic.example"),
        backchat::http::WebAssets());
    return b;
  }();
  return *backend;
}

// RPC names, and (starting with '/') whole paths, sent as FHIR JSON.
constexpr const char* kMethods[] = {"StartSession", "SubmitAnswer", "GetSession", "GoBack",
                                    "RestartSession", "Nope",
                                    "/fhir/Questionnaire/back-pain/$next-question"};
constexpr const char* kTypes[] = {"application/json", "application/proto",
                                  "application/grpc-web+proto", "application/grpc-web-text+proto",
                                  "text/plain"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  // The raw bytes as a request, through the listener's parser; a request
  // it accepts goes on to the gateway, as on the server.
  backchat::http::ParsedRequest parsed = backchat::http::ParseRequest(bytes, 16 * 1024, 64 * 1024);
  if (parsed.complete) {
    backchat::http::HttpResponse response;
    TheBackend().gateway->Handle(parsed.request, &response);
  }
  backchat::http::DecodeUnaryGrpcWebBody(bytes).IgnoreError();
  backchat::http::DecodeGrpcWebText(bytes).IgnoreError();
  // The bytes as the body of an RPC, the first two choosing method and type.
  if (size < 2) return 0;
  backchat::http::HttpRequest request;
  request.method = "POST";
  const std::string method = kMethods[data[0] % (sizeof(kMethods) / sizeof(*kMethods))];
  const bool fhir = method[0] == '/';
  request.path = fhir ? method : "/backchat.triage.v1.TriageService/" + method;
  request.headers = {
      {"host", "localhost"},
      {"content-type", fhir ? "application/fhir+json"
                            : kTypes[data[1] % (sizeof(kTypes) / sizeof(*kTypes))]}};
  request.body = std::string(bytes.substr(2));
  request.peer = "127.0.0.1:1";
  backchat::http::HttpResponse response;
  TheBackend().gateway->Handle(request, &response);
  return 0;
}
