// Where triage records of finished conversations are kept.
#ifndef BACKCHAT_SERVICE_RECORDS_RECORD_STORE_H_
#define BACKCHAT_SERVICE_RECORDS_RECORD_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "backchat/admin/v1/admin.pb.h"

namespace backchat::records {

using admin::v1::TriageRecord;

// Implementations are thread-safe; failures are UNAVAILABLE with a reason.
class RecordStore {
 public:
  virtual ~RecordStore() = default;
  // Inside a DeferredWrites scope (common/deferred_writes.h) a store may
  // return at once and save the record with, or right after, the scope's
  // earlier writes, all or nothing: a record is never saved without the
  // answer that finished its conversation.
  virtual absl::Status Append(const TriageRecord& record) = 0;
  // Returns once every record handed over so far is saved or failed, and
  // what waited for it has run (shutdown).
  virtual void AwaitWrites() {}
  // Records finished at or after `since`, oldest first; at most `limit`
  // (0: no limit).
  virtual absl::StatusOr<std::vector<TriageRecord>> List(absl::Time since,
                                                         size_t limit) = 0;
  // Deletes records finished before `cutoff`; returns how many.
  // Removes one record at once (a person's request). NOT_FOUND if absent.
  virtual absl::Status Delete(absl::string_view record_id) = 0;
  virtual absl::StatusOr<int64_t> DeleteFinishedBefore(absl::Time cutoff) = 0;
  // Keeps a check-in's answer with the record `check_in.record_id()`, at
  // most once: NOT_FOUND if there is no such record, FAILED_PRECONDITION if
  // it has a check-in already.
  virtual absl::Status AddCheckIn(const triage::v1::CheckIn& check_in) = 0;

  // The FHIR Questionnaire (JSON) of a dialog version that records cite,
  // kept beside them so that an export after a restart or a reload still
  // carries it. `key` is "DIALOG|VERSION"; keeping a key again changes
  // nothing (a version's content never changes). Kept as long as the store.
  virtual absl::Status KeepQuestionnaire(absl::string_view key, absl::string_view json) = 0;
  // NOT_FOUND if never kept.
  virtual absl::StatusOr<std::string> FindQuestionnaire(absl::string_view key) = 0;
};

}  // namespace backchat::records

#endif  // BACKCHAT_SERVICE_RECORDS_RECORD_STORE_H_
