// Recently used sessions in this process's memory, so that reading one
// needs neither the disk nor a round trip. Bounded: beyond its capacity the
// entries used longest ago are dropped.
//
// The cache holds what its store last wrote or read; whether a hit is the
// truth is the store's to say: exact for a file only this process writes
// (SQLite), a guess for a store other servers share (Redis), whose update
// then checks the version. Every copy carries its version, so a stale one
// can never overwrite a newer session.
#ifndef BACKCHAT_SERVICE_STORE_SESSION_CACHE_H_
#define BACKCHAT_SERVICE_STORE_SESSION_CACHE_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/store/session.h"

namespace backchat::store {

// Thread-safe. Its lock is held only to look up or swap a pointer: the
// copies are made outside it.
class SessionCache {
 public:
  // `capacity` of 0 caches nothing.
  explicit SessionCache(size_t capacity) : capacity_(capacity) {}

  struct Hit {
    Session session;
    // When the session was last used, as its store counts idle time.
    absl::Time last_used;
  };
  // A copy of the cached session, or nullopt.
  std::optional<Hit> Find(absl::string_view id) const;

  // The cached session's version and when it was last used, or nullopt;
  // no copy.
  struct Stamp {
    uint64_t version = 0;
    absl::Time last_used;
    // Its last write is not saved yet (Session::pending_write).
    bool unsaved = false;
  };
  std::optional<Stamp> Peek(absl::string_view id) const;

  // Caches `session` (its version as stored) used at `last_used`. Pass an
  // rvalue where the caller's copy is not needed: it is then not copied.
  void Put(Session session, absl::Time last_used);

  void Erase(absl::string_view id);
  // Drops every entry last used before `cutoff` (expired sessions).
  void EraseUsedBefore(absl::Time cutoff);
  // Drops everything (after a failure that leaves the store's state
  // unknown).
  void Clear();

  size_t size() const;

 private:
  struct Entry {
    std::shared_ptr<const Session> session;
    absl::Time last_used;
  };
  // Drops the oldest eighth of the entries: an O(n) pass once every n/8
  // insertions, so O(1) on average, and no list to keep in order.
  void MakeRoom() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_SESSION_CACHE_H_
