// FHIR resources as JSON objects: nlohmann::json (Debian's
// nlohmann-json3-dev), with keys kept in the order they were set, so that
// "resourceType" comes first and a person can read what is sent.
#ifndef BACKCHAT_SERVICE_FHIR_FHIR_JSON_H_
#define BACKCHAT_SERVICE_FHIR_FHIR_JSON_H_

#include <string>

#include <nlohmann/json.hpp>

namespace backchat::fhir {

using Json = nlohmann::ordered_json;

// Extension URLs used here (FHIR core and Structured Data Capture).
inline constexpr char kTranslationUrl[] =
    "http://hl7.org/fhir/StructureDefinition/translation";
inline constexpr char kOptionExclusiveUrl[] =
    "http://hl7.org/fhir/StructureDefinition/questionnaire-optionExclusive";
inline constexpr char kItemControlUrl[] =
    "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl";
inline constexpr char kEnableWhenExpressionUrl[] =
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression";

// Compact JSON text. Never throws: invalid UTF-8 (which no BackChat text
// should hold) becomes U+FFFD rather than failing an export.
inline std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace backchat::fhir

#endif  // BACKCHAT_SERVICE_FHIR_FHIR_JSON_H_
