// Where sessions live between calls.
#ifndef BACKCHAT_SERVICE_STORE_SESSION_STORE_H_
#define BACKCHAT_SERVICE_STORE_SESSION_STORE_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/store/session.h"

namespace backchat::store {

// What every store answers for a session id it does not hold: unknown,
// expired or evicted.
inline absl::Status SessionNotFound() {
  return absl::NotFoundError(
      "session_id: no such session; it may have expired. Start a new session");
}

// Implementations are thread-safe.
class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // Adds a new session (its id must be new). May make room by evicting
  // the session idle longest, as the implementation documents.
  virtual absl::Status Create(const Session& session) = 0;

  // A copy of the session. NOT_FOUND if the id is unknown, expired or
  // evicted.
  virtual absl::StatusOr<Session> Load(absl::string_view id) = 0;

  // Load() for a caller about to change the session and Update() it: may
  // answer from this process's memory without asking the store. Where
  // other servers share the store, such a copy may be out of date; it is
  // then marked `maybe_stale`: its Update() fails with ABORTED, and a
  // caller whose change fails on it without writing (ABORTED, or a request
  // that fits a later state) loads the session with Load() and tries once
  // more. A store failure (UNAVAILABLE) is not a reason to try again: the
  // write may have been applied.
  virtual absl::StatusOr<Session> LoadForUpdate(absl::string_view id) { return Load(id); }

  // Stores `session` if the stored copy still has `session->version`, and
  // then increments session->version. ABORTED if another update came first
  // (load the session again and retry); NOT_FOUND if it is gone.
  virtual absl::Status Update(Session* session) = 0;

  // Removes the session at once (a person's request to forget it).
  // NOT_FOUND if it is not there.
  virtual absl::Status Delete(absl::string_view id) = 0;

  // OK if the store can serve now; what health checks report.
  virtual absl::Status Ping() = 0;

  // How a call reads its session.
  enum class Reading { kLoad, kLoadForUpdate };
  // Whether a call that reads this session so (an empty id: one that
  // creates a session) would be served from this process's memory, its
  // writes deferred (see common/deferred_writes.h): then it waits for no
  // I/O, and a front end may run it on its own thread instead of handing
  // it to the store's workers. A guess: the session may be dropped from
  // memory meanwhile, and the call then reads the store after all.
  virtual bool ServesFromMemory(absl::string_view session_id, Reading reading) {
    return false;
  }

  // Returns once every write handed over so far has its outcome, and what
  // waited for it (a call's answer) has run: for shutdown, before the
  // front ends those answers go through are destroyed.
  virtual void AwaitWrites() {}

  // Sessions held now, for metrics; -1 if the store cannot say cheaply.
  virtual int64_t LiveSessions() { return -1; }
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_SESSION_STORE_H_
