#include "service/http/web_gateway.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "service/common/deferred_writes.h"
#include "service/http/connect_protocol.h"
#include "service/http/grpc_web_protocol.h"
#include "service/common/proto_json.h"

namespace backchat::http {
namespace {

namespace tv1 = ::backchat::triage::v1;
using google::protobuf::Message;

constexpr absl::string_view kServicePrefix =
    "/backchat.triage.v1.TriageService/";
constexpr absl::string_view kAdminPrefix = "/backchat.admin.v1.AdminService/";
// The clinic dashboard's pages (/admin/) hold an admin key for the tab: they
// are sent with a policy that lets nothing run or load but this server's own
// files, and no other site frame them.
constexpr absl::string_view kAdminPages = "/admin/";
constexpr char kAdminPagePolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// How a request body and its reply are encoded, from the Content-Type.
enum class Wire {
  kConnectJson,
  kConnectProto,
  kGrpcWeb,
  kGrpcWebText,
  kUnknown
};

Wire WireFor(absl::string_view content_type) {
  std::string type = absl::AsciiStrToLower(absl::StripAsciiWhitespace(
      content_type.substr(0, content_type.find(';'))));
  if (type == "application/json") return Wire::kConnectJson;
  if (type == "application/proto") return Wire::kConnectProto;
  if (type == "application/grpc-web" || type == "application/grpc-web+proto") {
    return Wire::kGrpcWeb;
  }
  if (type == "application/grpc-web-text" ||
      type == "application/grpc-web-text+proto") {
    return Wire::kGrpcWebText;
  }
  return Wire::kUnknown;
}

bool IsGrpcWeb(Wire wire) {
  return wire == Wire::kGrpcWeb || wire == Wire::kGrpcWebText;
}

// A gRPC-Web reply: the message (if any) and the status, framed, in base64
// for the text variant.
void WriteGrpcWeb(Wire wire, const std::string* message,
                  const absl::Status& status, HttpResponse* response) {
  response->status = 200;
  const std::string body = EncodeUnaryGrpcWebBody(message, status);
  if (wire == Wire::kGrpcWebText) {
    response->SetHeader("Content-Type", "application/grpc-web-text+proto");
    response->body = absl::Base64Escape(body);
  } else {
    response->SetHeader("Content-Type", "application/grpc-web+proto");
    response->body = body;
  }
}

// An error in the protocol the client speaks: a Connect error body, or a
// gRPC-Web response whose trailer frame carries the status.
void RpcError(Wire wire, const absl::Status& status, HttpResponse* response) {
  if (!IsGrpcWeb(wire)) {
    *response = ConnectError(status);
    return;
  }
  WriteGrpcWeb(wire, nullptr, status, response);
}

absl::Status ParseBody(absl::string_view rpc, Wire wire, absl::string_view body,
                       Message* request) {
  switch (wire) {
    case Wire::kConnectJson: {
      google::protobuf::util::JsonParseOptions options;
      // Newer clients may send fields this server does not know yet.
      options.ignore_unknown_fields = true;
      const std::string json = body.empty() ? "{}" : std::string(body);
      const auto status =
          google::protobuf::util::JsonStringToMessage(json, request, options);
      if (!status.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "request body is not JSON for ", request->GetTypeName(), ": ",
            std::string(status.message())));
      }
      return absl::OkStatus();
    }
    case Wire::kConnectProto:
      if (!request->ParseFromArray(body.data(), static_cast<int>(body.size()))) {
        return api::UnparseableRequest(rpc, *request, "a binary");
      }
      return absl::OkStatus();
    case Wire::kGrpcWeb:
    case Wire::kGrpcWebText: {
      std::string raw(body);
      if (wire == Wire::kGrpcWebText) {
        auto decoded = DecodeGrpcWebText(body);
        if (!decoded.ok()) return decoded.status();
        raw = *std::move(decoded);
      }
      auto message = DecodeUnaryGrpcWebBody(raw);
      if (!message.ok()) return message.status();
      if (!request->ParseFromString(*message)) {
        return api::UnparseableRequest(rpc, *request, "a gRPC-Web binary");
      }
      return absl::OkStatus();
    }
    case Wire::kUnknown:
      break;
  }
  return absl::InternalError("no codec for this content type");
}

void WriteReply(Wire wire, const Message& reply, HttpResponse* response) {
  response->status = 200;
  switch (wire) {
    case Wire::kConnectJson: {
      response->SetHeader("Content-Type", "application/json");
      if (!AppendProtoJson(reply, &response->body).ok() &&
          !google::protobuf::util::MessageToJsonString(reply, &response->body)
               .ok()) {
        *response = ConnectError(
            absl::InternalError("cannot encode the reply as JSON"));
      }
      return;
    }
    case Wire::kConnectProto:
      response->SetHeader("Content-Type", "application/proto");
      reply.SerializeToString(&response->body);
      return;
    case Wire::kGrpcWeb:
    case Wire::kGrpcWebText: {
      const std::string message = reply.SerializeAsString();
      WriteGrpcWeb(wire, &message, absl::OkStatus(), response);
      return;
    }
    case Wire::kUnknown:
      break;
  }
}

}  // namespace

struct WebGateway::PendingRpc {
  // Rpc::call: reaches only tables and long-lived objects, never the request.
  std::function<absl::Status(const Message&, Message*)> call;
  std::function<bool(const Message&)> serves_from_memory;  // Rpc's
  const Message* response_prototype = nullptr;
  Wire wire = Wire::kUnknown;
  // The call's messages on one arena, as the gRPC service does.
  google::protobuf::Arena arena;
  Message* request = nullptr;
};

WebGateway::WebGateway(api::Conversations* conversations, CorsPolicy cors, WebAssets assets,
                       const api::ServerGuards* guards, const api::AdminCalls* admin,
                       api::StoreWorkers* workers)
    : conversations_(conversations),
      cors_(std::move(cors)),
      assets_(std::move(assets)),
      guards_(guards),
      admin_(admin),
      workers_(workers),
      fhir_(&conversations->dialogs(), guards) {}

void WebGateway::Serve(HttpRequest request, HttpReply reply) const {
  const absl::Time start = absl::Now();
  HttpResponse response;
  std::unique_ptr<PendingRpc> pending;
  Route(request, &response, &pending);
  if (pending == nullptr || workers_ == nullptr) {
    if (pending != nullptr) RunRpc(*pending, request, &response).IgnoreError();  // in the response
    Record(request, response, start);
    return std::move(reply)(std::move(response));
  }
  const bool here =
      pending->serves_from_memory != nullptr && pending->serves_from_memory(*pending->request);
  auto work = [this, start, request = std::move(request), reply = std::move(reply),
               pending = std::move(pending)]() mutable {
    // The answer owns the request and the response, which it needs; the
    // attempt borrows them and owns the call's messages.
    auto owned_request = std::make_unique<HttpRequest>(std::move(request));
    auto response = std::make_unique<HttpResponse>();
    const HttpRequest* in = owned_request.get();
    HttpResponse* out = response.get();
    const Wire wire = pending->wire;
    // The call's writes are saved meanwhile; it is answered once they are.
    api::RunWithDeferredWrites(
        [this, in, out, pending = std::move(pending)] {
          *out = HttpResponse();
          return RunRpc(*pending, *in, out);
        },
        *workers_,
        [this, start, wire, request = std::move(owned_request), reply = std::move(reply),
         response = std::move(response)](const absl::Status& call,
                                         absl::Status answered) mutable {
          if (answered != call) {
            *response = HttpResponse();
            RpcError(wire, answered, response.get());
            cors_.AddResponseHeaders(*request, response.get());
          }
          Record(*request, *response, start);
          std::move(reply)(std::move(*response));
        });
  };
  // As api::DispatchTriageCall: a hand-off costs more than a call served
  // from memory.
  if (here) return work();
  workers_->Run(std::move(work));
}

void WebGateway::Handle(const HttpRequest& request, HttpResponse* response) const {
  const absl::Time start = absl::Now();
  std::unique_ptr<PendingRpc> pending;
  Route(request, response, &pending);
  if (pending != nullptr) RunRpc(*pending, request, response).IgnoreError();  // in the response
  Record(request, *response, start);
}

void WebGateway::Record(const HttpRequest& request, const HttpResponse& response,
                        absl::Time start) const {
  if (guards_ == nullptr) return;
  // Label by route, not by path: a client can make up any path.
  const absl::string_view route =
      api::FindTriageRpc(request.path) != nullptr || api::FindAdminRpc(request.path) != nullptr ||
              request.path == "/healthz" || request.path == "/metrics"
          ? absl::string_view(request.path)
      : absl::StartsWith(request.path, FhirRoutes::kPrefix) ? FhirRoutes::RouteLabel(request.path)
      : (request.method == "GET" || request.method == "HEAD") && response.status < 400
          ? "static"
          : "other";
  guards_->RecordCall("http", route, absl::StrCat(response.status), absl::Now() - start,
                      request.peer);
}

absl::Status WebGateway::RunRpc(PendingRpc& call, const HttpRequest& request,
                                HttpResponse* response) const {
  Message* reply = call.response_prototype->New(&call.arena);
  const absl::Status status = call.call(*call.request, reply);
  if (status.ok()) {
    WriteReply(call.wire, *reply, response);
  } else {
    RpcError(call.wire, status, response);
  }
  cors_.AddResponseHeaders(request, response);
  return status;
}

void WebGateway::ServeMetrics(const HttpRequest& request, HttpResponse* response) const {
  const absl::StatusOr<std::string> key =
      guards_ != nullptr
          ? guards_->AuthorizeAdmin(request.Header("authorization"), "metrics")
          : absl::StatusOr<std::string>(absl::UnauthenticatedError("metrics are off"));
  if (!key.ok()) {
    *response = PlainTextResponse(absl::IsPermissionDenied(key.status()) ? 403 : 401,
                                  key.status().message());
    if (absl::IsUnauthenticated(key.status())) response->SetHeader("WWW-Authenticate", "Bearer");
    return;
  }
  if (guards_->metrics == nullptr) {
    *response = PlainTextResponse(404, "metrics are off");
    return;
  }
  response->status = 200;
  response->SetHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  response->body = guards_->metrics->Render();
}

void WebGateway::Route(const HttpRequest& request, HttpResponse* response,
                       std::unique_ptr<PendingRpc>* pending) const {
  if (request.method == "OPTIONS") {
    *response = cors_.Preflight(request);
    return;
  }
  if (!cors_.Allows(request)) {
    *response = ConnectError(absl::PermissionDeniedError(absl::StrCat(
        "origin \"", request.Header("origin"),
        "\" is not allowed; the server's operator lists clinic sites in "
        "--http_allowed_origins")));
    return;
  }
  if (absl::StartsWith(request.path, FhirRoutes::kPrefix)) {
    fhir_.Handle(request, response);
  } else if (absl::StartsWith(request.path, kServicePrefix)) {
    const api::TriageRpc* found = api::FindTriageRpc(request.path);
    const Rpc rpc = found == nullptr ? Rpc{}
                                     : TriageCall(*found, request, conversations_, guards_);
    HandleRpc(found == nullptr ? nullptr : &rpc, request, response, pending);
    if (*pending != nullptr) return;  // RunRpc answers, with the CORS headers
  } else if (absl::StartsWith(request.path, kAdminPrefix)) {
    const api::AdminRpc* found = admin_ != nullptr ? api::FindAdminRpc(request.path) : nullptr;
    const Rpc rpc = found == nullptr ? Rpc{} : AdminCall(*found, request, admin_, guards_);
    HandleRpc(found == nullptr ? nullptr : &rpc, request, response, pending);
    if (*pending != nullptr) return;  // RunRpc answers, with the CORS headers
  } else if (request.method == "GET" || request.method == "HEAD") {
    if (request.path == "/healthz") {
      const bool healthy =
          guards_ == nullptr || guards_->healthy == nullptr || guards_->healthy->load();
      *response = healthy ? PlainTextResponse(200, "ok")
                          : PlainTextResponse(503, "the session store is not answering");
    } else if (request.path == "/metrics") {
      ServeMetrics(request, response);
    } else if (!assets_.Serve(request, response)) {
      *response = PlainTextResponse(
          404,
          absl::StrCat("no such page: ", request.path, " (the API is POST ",
                       kServicePrefix, "<Method>; the widget is /widget.js)"));
    } else if (absl::StartsWith(request.path, kAdminPages)) {
      response->SetHeader("Content-Security-Policy", kAdminPagePolicy);
    }
  } else {
    *response = PlainTextResponse(
        405, absl::StrCat(request.method, " is not served here"));
    response->SetHeader("Allow", "GET, HEAD, OPTIONS");
  }
  cors_.AddResponseHeaders(request, response);
}

WebGateway::Rpc WebGateway::TriageCall(const api::TriageRpc& rpc, const HttpRequest& request,
                                       api::Conversations* conversations,
                                       const api::ServerGuards* guards) {
  Rpc call{rpc.name, rpc.request_prototype, rpc.response_prototype, nullptr, nullptr, nullptr};
  call.admit = [&rpc, &request, guards](absl::Duration* retry_after) {
    return api::AdmitTriageCall(rpc, guards, request.peer, retry_after);
  };
  call.call = [&rpc, conversations](const Message& in, Message* out) {
    return rpc.call(*conversations, in, out);
  };
  call.serves_from_memory = [&rpc, conversations](const Message& in) {
    return rpc.serves_from_memory(*conversations, in);
  };
  return call;
}

WebGateway::Rpc WebGateway::AdminCall(const api::AdminRpc& rpc, const HttpRequest& request,
                                      const api::AdminCalls* calls,
                                      const api::ServerGuards* guards) {
  Rpc call{rpc.name, rpc.request_prototype, rpc.response_prototype, nullptr, nullptr, nullptr};
  call.admit = [&rpc, &request, guards](absl::Duration*) {
    return api::AuthorizeAdminHttpCall(rpc, guards, request.Header("authorization"));
  };
  call.call = [&rpc, calls](const Message& in, Message* out) { return rpc.call(*calls, in, out); };
  return call;
}

void WebGateway::HandleRpc(const Rpc* rpc, const HttpRequest& request,
                           HttpResponse* response,
                           std::unique_ptr<PendingRpc>* pending) const {
  if (request.method != "POST") {
    *response = ConnectError(absl::UnimplementedError(
        absl::StrCat(request.method, " is not supported for RPCs; send POST")));
    response->status = 405;
    response->SetHeader("Allow", "POST");
    return;
  }
  const Wire wire = WireFor(request.Header("content-type"));
  if (wire == Wire::kUnknown) {
    *response = ConnectError(absl::InvalidArgumentError(absl::StrCat(
        "Content-Type \"", request.Header("content-type"),
        "\" is not supported; send application/json or application/proto "
        "(Connect), or application/grpc-web[-text]+proto (gRPC-Web)")));
    response->status = 415;
    response->SetHeader(
        "Accept-Post",
        "application/json, application/proto, "
        "application/grpc-web+proto, application/grpc-web-text+proto");
    return;
  }
  if (rpc == nullptr) {
    RpcError(wire,
             absl::UnimplementedError(
                 absl::StrCat("no method ", request.path, " in this server")),
             response);
    if (!IsGrpcWeb(wire)) response->status = 404;
    return;
  }
  if (!IsGrpcWeb(wire)) {
    const absl::string_view version =
        request.Header("connect-protocol-version");
    if (!version.empty() && version != "1") {
      RpcError(wire,
               absl::InvalidArgumentError(
                   absl::StrCat("Connect-Protocol-Version \"", version,
                                "\" is not supported; send 1")),
               response);
      return;
    }
    const absl::string_view encoding = request.Header("content-encoding");
    if (!encoding.empty() && encoding != "identity") {
      RpcError(wire,
               absl::UnimplementedError(
                   absl::StrCat("Content-Encoding \"", encoding,
                                "\" is not supported; send identity")),
               response);
      response->SetHeader("Accept-Encoding", "identity");
      return;
    }
  }
  absl::Duration retry_after;
  const absl::Status admitted = rpc->admit(&retry_after);
  if (!admitted.ok()) {
    RpcError(wire, admitted, response);
    if (absl::IsResourceExhausted(admitted)) {
      response->SetHeader("Retry-After", absl::StrCat(absl::ToInt64Seconds(retry_after)));
    }
    if (absl::IsUnauthenticated(admitted)) response->SetHeader("WWW-Authenticate", "Bearer");
    return;
  }
  auto call = std::make_unique<PendingRpc>();
  call->call = rpc->call;
  call->serves_from_memory = rpc->serves_from_memory;
  call->response_prototype = rpc->response_prototype;
  call->wire = wire;
  call->request = rpc->request_prototype->New(&call->arena);
  const absl::Status parsed = ParseBody(rpc->name, wire, request.body, call->request);
  if (!parsed.ok()) {
    RpcError(wire, parsed, response);
    return;
  }
  *pending = std::move(call);
}

}  // namespace backchat::http
