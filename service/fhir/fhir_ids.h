// The identifiers FHIR R4 asks for, made from BackChat's own ids.
#ifndef BACKCHAT_SERVICE_FHIR_FHIR_IDS_H_
#define BACKCHAT_SERVICE_FHIR_FHIR_IDS_H_

#include <string>

#include "absl/strings/string_view.h"

namespace backchat::fhir {

// A resource id as FHIR allows ([A-Za-z0-9-.]{1,64}): any other character
// becomes '-' ("back_pain" -> "back-pain"), and the result is cut at 64.
// "-" for an empty text.
std::string FhirId(absl::string_view text);

// A computable name as rule que-0 wants (^[A-Z][A-Za-z0-9_]*$): words
// joined in capitals, "back_pain" -> "BackPain"; "Dialog" prefixed when
// the text does not start with a letter.
std::string ComputableName(absl::string_view id);

// "urn:uuid:" and a version-4 UUID from 32 random hex digits (a record id),
// with the version and variant bits set as RFC 9562 requires. Anything
// other than 32 hex digits gets NameBasedUrnUuid of it instead.
std::string UrnUuidFromRandomHex(absl::string_view hex);

// "urn:uuid:" and the version-5 (SHA-1, name-based) UUID of `name` in the
// URL namespace: the same name always gives the same UUID.
std::string NameBasedUrnUuid(absl::string_view name);

// The canonical URL of a dialog's Questionnaire: "urn:backchat:dialog:ID".
std::string QuestionnaireUrl(absl::string_view dialog_id);

}  // namespace backchat::fhir

#endif  // BACKCHAT_SERVICE_FHIR_FHIR_IDS_H_
