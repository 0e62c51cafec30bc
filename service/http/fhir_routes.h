// The FHIR endpoints of the HTTP listener (FHIR JSON in and out, errors as
// OperationOutcome):
//   POST /fhir/Questionnaire/$next-question        the default dialog
//   POST /fhir/Questionnaire/{id}/$next-question   SDC adaptive form (next_question.h)
//   GET  /fhir/Questionnaire/{id}                  the dialog's Questionnaire
// $next-question calls pass the same admission (rate limits) as the
// triage RPCs; one without answers counts as starting a conversation.
#ifndef BACKCHAT_SERVICE_HTTP_FHIR_ROUTES_H_
#define BACKCHAT_SERVICE_HTTP_FHIR_ROUTES_H_

#include "absl/strings/string_view.h"
#include "service/api/server_guards.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/fhir/next_question.h"
#include "service/common/http/http_message.h"

namespace backchat::http {

// Thread-safe; does not own its collaborators.
class FhirRoutes {
 public:
  // `guards` may be null (no limits).
  FhirRoutes(const engine::DialogRegistry* dialogs, const api::ServerGuards* guards)
      : adaptive_(dialogs), guards_(guards) {}

  static constexpr absl::string_view kPrefix = "/fhir/";

  // The label of a FHIR path in metrics and logs (a client can make up
  // any path, so ids are not labels).
  static absl::string_view RouteLabel(absl::string_view path);

  // Answers every request under kPrefix (404, 405, 415 with an
  // OperationOutcome that says what to send instead).
  void Handle(const HttpRequest& request, HttpResponse* response) const;

 private:
  void NextQuestion(absl::string_view questionnaire_id, const HttpRequest& request,
                    HttpResponse* response) const;

  fhir::AdaptiveQuestionnaire adaptive_;
  const api::ServerGuards* guards_;
};

}  // namespace backchat::http

#endif  // BACKCHAT_SERVICE_HTTP_FHIR_ROUTES_H_
