// Triage records as an HL7 FHIR R4 Bundle a health system takes in as it
// is: valid against R4 (ids, no empty arrays, urn:uuid fullUrls) and with
// every response resolvable to a Questionnaire in the same Bundle.
#ifndef BACKCHAT_SERVICE_FHIR_RECORD_BUNDLE_H_
#define BACKCHAT_SERVICE_FHIR_RECORD_BUNDLE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "backchat/admin/v1/admin.pb.h"
#include "service/fhir/fhir_json.h"

namespace backchat::fhir {

// The Questionnaire (questionnaire.h's DialogQuestionnaire) of a dialog
// version; NOT_FOUND when it is known nowhere.
using QuestionnaireLookup =
    std::function<absl::StatusOr<Json>(absl::string_view dialog_id, absl::string_view version)>;

// A Bundle of type "collection": the Questionnaire of every dialog version
// the records cite, then one QuestionnaireResponse (status "completed") per
// record citing it by "URL|VERSION". Answers and outcome codes carry the
// display of the record's language, read from the Questionnaire (its own
// texts or their translation extensions), so a response reads the same
// after the dialog changed or the server restarted. A record whose version
// `lookup` does not find still becomes a response, with codes and no
// displays; `missing` (if given) counts such versions.
std::string RecordsAsFhirBundle(const std::vector<admin::v1::TriageRecord>& records,
                                const QuestionnaireLookup& lookup, int* missing = nullptr);

}  // namespace backchat::fhir

#endif  // BACKCHAT_SERVICE_FHIR_RECORD_BUNDLE_H_
