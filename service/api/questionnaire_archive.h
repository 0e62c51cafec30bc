// The FHIR Questionnaire of every dialog version a triage record cites,
// kept in the record store so that exports made after a restart or a
// reload still carry it.
#ifndef BACKCHAT_SERVICE_API_QUESTIONNAIRE_ARCHIVE_H_
#define BACKCHAT_SERVICE_API_QUESTIONNAIRE_ARCHIVE_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/fhir/fhir_json.h"
#include "service/records/record_store.h"

namespace backchat::api {

// Thread-safe. Does not own the registry or the store.
class QuestionnaireArchive {
 public:
  QuestionnaireArchive(const engine::DialogRegistry* dialogs, records::RecordStore* records)
      : dialogs_(dialogs), records_(records) {}

  // Keeps the Questionnaire of a version this process serves, once per
  // process (later calls for it cost a set lookup). Call it before
  // appending a record that cites the version.
  absl::Status Keep(absl::string_view dialog_id, absl::string_view version);

  // The Questionnaire of a version: from the registry while this process
  // knows the version (built afresh, so it has this release's shape), else
  // the one kept in the store. NOT_FOUND if neither has it.
  absl::StatusOr<fhir::Json> Find(absl::string_view dialog_id, absl::string_view version) const;

 private:
  const engine::DialogRegistry* dialogs_;
  records::RecordStore* records_;
  absl::Mutex mu_;
  absl::flat_hash_set<std::string> kept_ ABSL_GUARDED_BY(mu_);
};

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_QUESTIONNAIRE_ARCHIVE_H_
