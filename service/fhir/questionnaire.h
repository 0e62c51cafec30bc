// A dialog as an HL7 FHIR R4 Questionnaire, following the Structured Data
// Capture (SDC) conventions a form filler understands.
//
// Shape: one "choice" item per question (linkId = question id; each option
// a Coding with system "urn:backchat:dialog:DIALOG:QUESTION", code = option
// id, display = label), then a read-only "outcome" group (outcome.level,
// outcome.red_flags, outcome.technique, outcome.frequency) that
// QuestionnaireResponses fill in. A question's help is a child "display"
// item with itemControl "help". An exclusive option ("None of these")
// carries optionExclusive. An ask_if becomes enableWhen where enableWhen can
// say it, else SDC's enableWhenExpression (FHIRPath).
#ifndef BACKCHAT_SERVICE_FHIR_QUESTIONNAIRE_H_
#define BACKCHAT_SERVICE_FHIR_QUESTIONNAIRE_H_

#include <string>
#include <vector>

#include "service/engine/compiled_dialog.h"
#include "service/dialog_tools/dialog_bundle.h"
#include "service/fhir/fhir_json.h"

namespace backchat::fhir {

// The languages a resource is written in: texts come from `shown`, and each
// of `translations` (same dialog, same version, another language) adds a
// FHIR translation extension to every text.
struct Languages {
  const engine::CompiledDialog* shown = nullptr;
  std::vector<const engine::CompiledDialog*> translations;
};

// The whole dialog, every language: id "DIALOG-VERSION" (as FhirId), url
// QuestionnaireUrl, version = the dialog version, language = the base's.
// `required` is set on the question every conversation starts with; the
// engine may skip any later question once it cannot change the outcome,
// which enableWhen cannot say (the adaptive form of next_question.h marks
// each question it asks as required).
Json DialogQuestionnaire(const engine::DialogBundle& bundle);

// The item of question `question` (an index into shown->questions), with
// its enableWhen when `with_enable_when`.
Json QuestionItem(const Languages& languages, int question, bool with_enable_when);

// The read-only outcome group.
Json OutcomeGroupItem(const Languages& languages);

// The Coding of option `option` of question `question` in `dialog`'s
// language.
Json OptionCoding(const engine::CompiledDialog& dialog, int question, int option);

// The system of the codes of a question ("outcome" items have their own:
// red_flags, techniques, frequencies; levels are "urn:backchat:level").
std::string CodeSystem(absl::string_view dialog_id, absl::string_view what);

// The code of a level: "EMERGENCY", "URGENT", "SEE_DOCTOR", "SELF_CARE".
std::string LevelCode(engine::Level level);

}  // namespace backchat::fhir

#endif  // BACKCHAT_SERVICE_FHIR_QUESTIONNAIRE_H_
