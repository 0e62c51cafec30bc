#include "service/http/fhir_routes.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace backchat::http {
namespace {

constexpr absl::string_view kNextQuestion = "$next-question";

void Write(const fhir::FhirReply& reply, HttpResponse* response) {
  response->status = reply.http_status;
  response->SetHeader("Content-Type", "application/fhir+json; charset=utf-8");
  response->body = reply.body;
}

// The path's segments after /fhir/, with "%24" read as "$" (some clients
// escape it).
std::vector<std::string> Segments(absl::string_view path) {
  const std::string decoded =
      absl::StrReplaceAll(absl::StripPrefix(path, FhirRoutes::kPrefix), {{"%24", "$"}});
  return absl::StrSplit(decoded, '/');
}

bool IsFhirJson(absl::string_view content_type) {
  const std::string type = absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(content_type.substr(0, content_type.find(';'))));
  return type == "application/fhir+json" || type == "application/json";
}

}  // namespace

absl::string_view FhirRoutes::RouteLabel(absl::string_view path) {
  const std::vector<std::string> segments = Segments(path);
  if (segments.empty() || segments[0] != "Questionnaire") return "fhir-other";
  if (segments.back() == kNextQuestion) return "/fhir/Questionnaire/$next-question";
  return segments.size() == 2 ? "/fhir/Questionnaire/{id}" : "fhir-other";
}

void FhirRoutes::Handle(const HttpRequest& request, HttpResponse* response) const {
  const std::vector<std::string> segments = Segments(request.path);
  const bool questionnaire = !segments.empty() && segments[0] == "Questionnaire";
  if (questionnaire && (segments.size() == 2 || segments.size() == 3) &&
      segments.back() == kNextQuestion) {
    NextQuestion(segments.size() == 3 ? segments[1] : "", request, response);
  } else if (questionnaire && segments.size() == 2 && !segments[1].empty()) {
    if (request.method != "GET" && request.method != "HEAD") {
      Write(fhir::ErrorReply(absl::InvalidArgumentError(
                absl::StrCat(request.method, " is not served here; send GET"))),
            response);
      response->status = 405;
      response->SetHeader("Allow", "GET, HEAD");
      return;
    }
    Write(adaptive_.Read(segments[1]), response);
  } else {
    Write(fhir::ErrorReply(absl::NotFoundError(absl::StrCat(
              "no FHIR endpoint ", request.path.substr(0, 100),
              " (served: GET /fhir/Questionnaire/{id}, POST "
              "/fhir/Questionnaire/{id}/$next-question)"))),
          response);
  }
}

void FhirRoutes::NextQuestion(absl::string_view questionnaire_id, const HttpRequest& request,
                              HttpResponse* response) const {
  if (request.method != "POST") {
    Write(fhir::ErrorReply(absl::InvalidArgumentError(
              absl::StrCat(request.method, " is not supported for $next-question; send POST"))),
          response);
    response->status = 405;
    response->SetHeader("Allow", "POST");
    return;
  }
  if (!IsFhirJson(request.Header("content-type"))) {
    Write(fhir::ErrorReply(absl::InvalidArgumentError(absl::StrCat(
              "Content-Type \"", request.Header("content-type").substr(0, 100),
              "\" is not supported; send application/fhir+json"))),
          response);
    response->status = 415;
    response->SetHeader("Accept-Post", "application/fhir+json, application/json");
    return;
  }
  auto parsed = fhir::AdaptiveQuestionnaire::Parse(request.body);
  if (!parsed.ok()) {
    Write(fhir::ErrorReply(parsed.status()), response);
    return;
  }
  if (guards_ != nullptr) {
    absl::Duration retry_after;
    const absl::Status admitted =
        guards_->AdmitPatientCall(request.peer, parsed->starts, &retry_after);
    if (!admitted.ok()) {
      Write(fhir::ErrorReply(admitted), response);
      response->SetHeader("Retry-After", absl::StrCat(absl::ToInt64Seconds(retry_after)));
      return;
    }
  }
  Write(adaptive_.Next(questionnaire_id, *parsed), response);
}

}  // namespace backchat::http
