// Triage records as files a clinic's systems can import.
#ifndef BACKCHAT_SERVICE_RECORDS_RECORD_EXPORT_H_
#define BACKCHAT_SERVICE_RECORDS_RECORD_EXPORT_H_

#include <string>
#include <vector>

#include "service/engine/compiled_dialog.h"
#include "service/engine/dialog_registry.h"
#include "service/records/record_store.h"

namespace backchat::records {

// One record per line, protobuf's JSON mapping.
std::string RecordsAsJsonLines(const std::vector<TriageRecord>& records);

// HL7 FHIR R4 Questionnaire of a dialog: a choice item per question (codes
// are option ids), and a read-only "outcome" group (level, red flags,
// technique, frequency) that QuestionnaireResponses fill in.
// url "urn:backchat:dialog:ID", version = the dialog version.
std::string DialogAsFhirQuestionnaire(const engine::CompiledDialog& dialog);

// HL7 FHIR R4 Bundle (type "collection"): the Questionnaire of every dialog
// version the records use that `dialogs` still has, then one
// QuestionnaireResponse (status "completed") per record, referring to its
// Questionnaire by canonical url|version.
std::string RecordsAsFhirBundle(const std::vector<TriageRecord>& records,
                                const engine::DialogRegistry& dialogs);

}  // namespace backchat::records

#endif  // BACKCHAT_SERVICE_RECORDS_RECORD_EXPORT_H_
