// Triage records as JSON lines (FHIR: service/fhir/record_bundle.h).
#ifndef BACKCHAT_SERVICE_RECORDS_RECORD_EXPORT_H_
#define BACKCHAT_SERVICE_RECORDS_RECORD_EXPORT_H_

#include <string>
#include <vector>

#include "service/records/record_store.h"

namespace backchat::records {

// One record per line, protobuf's JSON mapping.
std::string RecordsAsJsonLines(const std::vector<TriageRecord>& records);

}  // namespace backchat::records

#endif  // BACKCHAT_SERVICE_RECORDS_RECORD_EXPORT_H_
