// BackChat as an SDC adaptive questionnaire: the $next-question operation
// (HL7 Structured Data Capture, "Adaptive Forms"), so that a FHIR form
// filler or an EHR can run the triage without BackChat's own API.
//
// The request is a QuestionnaireResponse, bare or as the
// "questionnaire-response" parameter of a Parameters resource, holding the
// answers so far (valueCoding, code = option id). The engine replays them
// from the start (the operation keeps no state: the response is the
// conversation), so the same answers reach the same outcome as on every
// other channel, with the same checks. The reply is the response with a
// contained Questionnaire ("#adaptive", derivedFrom the dialog's
// "URL|VERSION") holding the questions asked so far and the next one
// (status "in-progress"), or, once the engine has an outcome, the outcome
// group answered and the advice as display items (status "completed").
// A Parameters request gets a Parameters reply ("return").
//
// The conversation keeps the dialog version it began with (the contained
// Questionnaire's derivedFrom) while this process has it. Answers to
// questions the engine no longer asks (an earlier answer changed) are
// dropped from the reply; an answer the question does not allow, or an
// unknown question, is an error naming where it is.
#ifndef BACKCHAT_SERVICE_FHIR_NEXT_QUESTION_H_
#define BACKCHAT_SERVICE_FHIR_NEXT_QUESTION_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/fhir/fhir_json.h"

namespace backchat::fhir {

// What a FHIR endpoint answers: an HTTP status and a FHIR JSON body (the
// resource, or an OperationOutcome).
struct FhirReply {
  int http_status = 200;
  std::string body;
};

// A parsed $next-question request.
struct NextQuestionRequest {
  Json response;         // The QuestionnaireResponse.
  bool wrapped = false;  // It came as a Parameters resource.
  // No question answered yet: the request starts a conversation (for
  // admission, as StartSession).
  bool starts = true;
};

// An OperationOutcome for `status`, with the HTTP status FHIR servers use
// for it (400, 404, 422, 429, 500).
FhirReply ErrorReply(const absl::Status& status);

// Thread-safe; does not own the registry.
class AdaptiveQuestionnaire {
 public:
  explicit AdaptiveQuestionnaire(const engine::DialogRegistry* dialogs) : dialogs_(dialogs) {}

  // INVALID_ARGUMENT (naming what and where) for a body that is not JSON,
  // not a QuestionnaireResponse or Parameters, or malformed where it is read.
  static absl::StatusOr<NextQuestionRequest> Parse(absl::string_view body);

  // The next step of the conversation. `questionnaire_id` is the path's:
  // the dialog's FHIR id ("back-pain": the version served now, unless the
  // conversation began on another), a versioned one ("back-pain-VERSION"),
  // or empty for the default dialog.
  FhirReply Next(absl::string_view questionnaire_id, const NextQuestionRequest& request) const;

  // GET Questionnaire/{id}: the dialog's whole Questionnaire (every
  // language), as questionnaire.h builds it for exports.
  FhirReply Read(absl::string_view questionnaire_id) const;

 private:
  absl::StatusOr<std::shared_ptr<const engine::DialogBundle>> Resolve(
      absl::string_view questionnaire_id, const Json& response) const;

  const engine::DialogRegistry* dialogs_;
};

}  // namespace backchat::fhir

#endif  // BACKCHAT_SERVICE_FHIR_NEXT_QUESTION_H_
