// The triage operations, independent of transport: validate the request,
// load the session, step the engine, store the new state, build the Turn.
// The gRPC service (and any other front end) only converts errors.
#ifndef BACKCHAT_SERVICE_API_CONVERSATIONS_H_
#define BACKCHAT_SERVICE_API_CONVERSATIONS_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "backchat/triage/v1/triage.pb.h"
#include "service/api/care_actions.h"
#include "service/api/dashboard_counts.h"
#include "service/api/questionnaire_archive.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/observability/metrics.h"
#include "service/records/record_store.h"
#include "service/store/session_store.h"

namespace backchat::api {

// Thread-safe; holds no per-call state. Does not own its collaborators,
// which must outlive it. Errors are canonical codes with a message that
// names the offending field (see proto/backchat/triage/v1/triage.proto).
class Conversations {
 public:
  // Largest free-text answer accepted, in bytes.
  static constexpr size_t kMaxAnswerTextBytes = 1000;

  // `records` (may be null) receives a record whenever an answer finishes a
  // conversation; a failure to write one is logged, and does not fail the
  // answer, which is already saved. Where the store defers writes (see
  // common/deferred_writes.h), the record is saved with the answer (SQLite:
  // in the same transaction; Redis: right after it, and only if it is
  // saved), and the answer is acknowledged once both are.
  Conversations(const engine::DialogRegistry* dialogs,
                store::SessionStore* sessions,
                records::RecordStore* records = nullptr,
                std::function<absl::Time()> clock = [] { return absl::Now(); });

  absl::Status Start(const triage::v1::StartSessionRequest& request,
                     triage::v1::Turn* turn);
  absl::Status Answer(const triage::v1::SubmitAnswerRequest& request,
                      triage::v1::Turn* turn);
  absl::Status Get(const triage::v1::GetSessionRequest& request,
                   triage::v1::Turn* turn);
  absl::Status GoBack(const triage::v1::GoBackRequest& request,
                      triage::v1::Turn* turn);
  absl::Status Restart(const triage::v1::RestartSessionRequest& request,
                       triage::v1::Turn* turn);

  // Whether the call would wait for no I/O but its deferred writes (see
  // SessionStore::ServesFromMemory), so that a front end may run it on its
  // own thread. Keeping a check-in reads and writes the records at once.
  bool ServesFromMemory(const triage::v1::StartSessionRequest& request) const;
  bool ServesFromMemory(const triage::v1::SubmitAnswerRequest& request) const;
  // Get, GoBack and Restart: they read the stored session.
  bool ServesFromMemory(absl::string_view session_id) const;

  // Counts conversations started and finished, turns, and store errors
  // into `metrics` (not owned; null: nothing counted), each once saved.
  // Call before serving.
  void set_metrics(observability::Metrics* metrics) { metrics_ = metrics; }

  // Outcomes carry the actions of these care contacts (not owned; null:
  // outcomes carry no actions), for the locale the session was started
  // with (else the dialog's). The dialogs must then have the actions'
  // labels (CheckActionLabels). Call before serving.
  void set_care_contacts(const CareContactsFile* care) { care_ = care; }
  // Counts each step for the clinic's dashboard into `counts` (not owned;
  // null: nothing counted). Call before serving.
  void set_dashboard_counts(records::OutcomeCounts* counts) {
    dashboard_ = DashboardCounts(counts);
  }
  const engine::DialogRegistry& dialogs() const { return *dialogs_; }

 private:
  // Fills `turn` with the session's next step, and returns that step. An
  // outcome also carries the answers given and the care actions.
  engine::Step BuildTurn(const store::Session& session, absl::string_view notice,
                         triage::v1::Turn* turn) const;
  // Counts `status` as a store error when the store failed (not for
  // NOT_FOUND or ABORTED, which are answers), and returns it.
  absl::Status CountStoreError(absl::Status status);
  // The stored session; kCopyToChange may take the store's cached copy
  // (SessionStore::LoadForUpdate), for a call that saves the session.
  enum class Freshness { kStored, kCopyToChange };
  absl::StatusOr<store::Session> LoadSession(absl::string_view session_id,
                                             Freshness freshness = Freshness::kStored);
  absl::Status Save(store::Session* session);
  // Answer() on a loaded session, once the request is known to be valid.
  absl::Status AnswerSession(const triage::v1::SubmitAnswerRequest& request,
                             store::Session session, triage::v1::Turn* turn);
  // Writes the session's triage record; returns its id ("" if none).
  std::string Record(const store::Session& session, const engine::Step& outcome);
  // Keeps `check_in` with its record (see StartSessionRequest.check_in).
  absl::Status KeepCheckIn(triage::v1::CheckIn check_in);

  const engine::DialogRegistry* dialogs_;
  store::SessionStore* sessions_;
  records::RecordStore* records_;
  // Keeps the dialog version each record cites (for FHIR exports).
  QuestionnaireArchive questionnaires_;
  std::function<absl::Time()> clock_;
  observability::Metrics* metrics_ = nullptr;
  const CareContactsFile* care_ = nullptr;
  DashboardCounts dashboard_;
};

// True for a syntactically valid BCP-47 language tag ("en", "es-MX",
// "zh-Hant-TW"); the registry decides which languages exist.
bool IsWellFormedLocale(absl::string_view tag);

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_CONVERSATIONS_H_
