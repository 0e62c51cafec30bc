#include "service/records/record_export.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace backchat::records {

std::string RecordsAsJsonLines(const std::vector<TriageRecord>& records) {
  std::string out;
  for (const TriageRecord& record : records) {
    std::string line;
    google::protobuf::util::MessageToJsonString(record, &line);
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

}  // namespace backchat::records
