// Sessions in process memory: for tests, demos and a single server.
#ifndef BACKCHAT_SERVICE_STORE_MEMORY_SESSION_STORE_H_
#define BACKCHAT_SERVICE_STORE_MEMORY_SESSION_STORE_H_

#include <functional>
#include <list>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "service/store/session_store.h"

namespace backchat::store {

struct MemoryStoreOptions {
  // A session not used for this long is gone (NOT_FOUND).
  absl::Duration idle_timeout = absl::Minutes(30);
  // At most this many sessions; creating one more evicts the session idle
  // longest.
  size_t max_sessions = 100000;
  // The time source; tests pass a fake clock.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
};

// Thread-safe (one mutex; every operation is O(1) on average).
class MemorySessionStore final : public SessionStore {
 public:
  explicit MemorySessionStore(MemoryStoreOptions options = {});

  absl::Status Create(const Session& session) override;
  absl::StatusOr<Session> Load(absl::string_view id) override;
  absl::Status Update(Session* session) override;
  absl::Status Delete(absl::string_view id) override;
  absl::Status Ping() override { return absl::OkStatus(); }
  bool ServesFromMemory(absl::string_view, Reading) override { return true; }
  int64_t LiveSessions() override { return static_cast<int64_t>(size()); }

  size_t size() const;

 private:
  struct Entry {
    Session session;
    absl::Time last_used;
    std::list<std::string>::iterator idle_position;
  };
  using Map = absl::flat_hash_map<std::string, Entry>;

  // Looks `id` up; an expired entry is erased and reported as absent.
  Map::iterator FindLive(absl::string_view id, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Touch(Entry& entry, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Erase(Map::iterator it) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const MemoryStoreOptions options_;
  mutable absl::Mutex mu_;
  Map sessions_ ABSL_GUARDED_BY(mu_);
  // Session ids, idle longest first.
  std::list<std::string> idle_order_ ABSL_GUARDED_BY(mu_);
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_MEMORY_SESSION_STORE_H_
