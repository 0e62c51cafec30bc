// Sessions in one SQLite file (WAL): the default store. A restarted server
// continues every conversation.
#ifndef BACKCHAT_SERVICE_STORE_SQLITE_SESSION_STORE_H_
#define BACKCHAT_SERVICE_STORE_SQLITE_SESSION_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "service/common/deferred_writes.h"
#include "service/store/session_cache.h"
#include "service/store/session_codec.h"
#include "service/store/session_store.h"
#include "service/common/sqlite/sqlite_database.h"

struct sqlite3_stmt;

namespace backchat::store {

struct SqliteStoreOptions {
  std::string path = "backchat.db";
  // A session not used for this long is gone (NOT_FOUND) and later deleted.
  absl::Duration idle_timeout = absl::Minutes(30);
  // Creating a session beyond this many live ones is RESOURCE_EXHAUSTED;
  // live conversations are never evicted.
  size_t max_sessions = 100000;
  // FULL survives power loss; NORMAL (the default) survives a crash of the
  // process, and is much faster.
  bool synchronous_full = false;
  // How often expired sessions are deleted, in batches that hold the lock
  // only briefly; zero disables the background cleaner (tests).
  absl::Duration cleanup_interval = absl::Minutes(1);
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  // Sessions kept in memory as well (see SessionCache); 0 for none.
  size_t cache_capacity = 16384;
};

// Thread-safe: the file's one connection (SqliteDatabase), behind its
// mutex. One server process per file. SQLite errors become UNAVAILABLE
// with SQLite's message.
//
// Group commit: writes (Create, Update, Delete) go to the file's writer
// (SqliteGroupCommit), which saves the writes that arrive together in one
// transaction. A write is acknowledged only once its transaction has
// committed: a caller outside a DeferredWrites scope waits for that; one
// inside a scope returns at once, and its call is answered then.
//
// Reads come from a cache of the sessions last written or read. It is
// exact: no other process writes the file (SqliteDatabase locks it), and
// the cache changes only under the store's write lock:
//  - An update checks its version against the cached copy, and caches its
//    session at once, unsaved (Session::pending_write): a call that reads
//    it waits for that write, and a later update is based on it and
//    saved after it. If the write fails, the copy is dropped, and every
//    update based on it fails its version check in the file.
//  - A session not cached is updated with the version check in the file
//    alone, and not cached until no write of it is under way: only copies
//    whose version is known to be the file's next are ever cached.
// A read that misses, or that must refresh the idle time, reads the file.
class SqliteSessionStore final : public SessionStore {
 public:
  // Opens (creating if needed) the database. UNAVAILABLE if it cannot.
  // Does not own `codec`.
  static absl::StatusOr<std::unique_ptr<SqliteSessionStore>> Open(
      SqliteStoreOptions options, const SessionCodec* codec);
  ~SqliteSessionStore() override;

  absl::Status Create(const Session& session) override;
  absl::StatusOr<Session> Load(absl::string_view id) override;
  absl::Status Update(Session* session) override;
  absl::Status Delete(absl::string_view id) override;
  // Waits for the file's group commit (the records' writes included).
  void AwaitWrites() override;
  // A new session, or one Load() would answer from the cache.
  bool ServesFromMemory(absl::string_view session_id, Reading reading) override;
  // UNAVAILABLE while the store cannot read, or while its writes fail (a
  // full disk): then a probe write must succeed before it is OK again.
  absl::Status Ping() override;
  int64_t LiveSessions() override;

  // Deletes up to `batch` expired sessions; returns how many it deleted.
  absl::StatusOr<int> DeleteExpired(int batch);
  // Live sessions (expired ones not yet deleted included).
  size_t size() const;
  // Transactions the file's group commit has committed so far (the
  // records' included): fewer than the writes when writes arrive together.
  uint64_t commits() const;

 private:
  SqliteSessionStore(SqliteStoreOptions options, const SessionCodec* codec,
                     std::shared_ptr<SqliteDatabase> database);
  absl::Status Init();
  // Converts a sessions table keyed by id (an older file) to creation
  // order; nothing if it is not one. Under mu_.
  absl::Status ConvertKeyedById();
  // A write handed to the group commit; Apply and Settle run on its
  // thread, under mu_.
  class SessionWrite;
  enum class WriteKind { kCreate, kUpdate, kDelete };
  // Hands `write` to the group commit, counting it under way for its
  // session, and returns its outcome. Call under write_mu_.
  std::shared_ptr<WriteOutcome> Submit(std::unique_ptr<SessionWrite> write)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The statement of one write, inside the batch's transaction: true, with
  // the write refused where it is its own answer (NOT_FOUND, ABORTED,
  // ALREADY_EXISTS, RESOURCE_EXHAUSTED); false if SQLite failed.
  bool Apply(SessionWrite& write);
  // After the batch: the count, the cache and the health of writes.
  void Settle(SessionWrite& write, const absl::Status& result, bool committed);
  // Whether Load() answers from a cached copy last used at `last_used`:
  // used lately, it needs no refresh and cannot have expired.
  bool FreshInCache(absl::Time last_used, absl::Time now) const;
  absl::Status Error(absl::string_view doing) const;
  // Error() for a write, noting that writes fail (see Ping).
  absl::Status WriteError(absl::string_view doing) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes the deferred idle-time refreshes in one transaction; on failure
  // keeps them for the next try.
  absl::Status FlushTouches() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A write that needs the disk to take new data (a row beside the
  // sessions, committed and checkpointed into the file, then removed).
  absl::Status ProbeWrite() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CleanLoop();

  const SqliteStoreOptions options_;
  const SessionCodec* codec_;
  std::shared_ptr<SqliteDatabase> database_;
  // All below are used under database_->mutex(), here called mu_.
  absl::Mutex& mu_;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* select_ = nullptr;
  sqlite3_stmt* update_ = nullptr;
  sqlite3_stmt* update_data_ = nullptr;  // leaves the idle time as it is
  sqlite3_stmt* touch_ = nullptr;
  sqlite3_stmt* delete_ = nullptr;
  sqlite3_stmt* delete_expired_ = nullptr;
  size_t count_ = 0;
  // Idle-time refreshes Load() deferred (id -> when read). Reading a
  // session never writes, so a full disk still serves every read; the
  // refreshes go to the file with the expiry sweep (which must honour them)
  // or when many have gathered, and Load() reads them meanwhile.
  absl::flat_hash_map<std::string, absl::Time> pending_touches_;
  // The last write failed (disk full, I/O error): Ping() fails until a
  // write succeeds again.
  bool writes_failing_ = false;
  bool stopping_ = false;
  std::thread cleaner_;
  // Orders the cache's changes with the writes handed to the group
  // commit. Taken after mu_ where both are held.
  absl::Mutex write_mu_;
  // Changed under write_mu_ only, read without it.
  SessionCache cache_;
  // Sessions with writes handed over and not yet settled, and how many.
  absl::flat_hash_map<std::string, int> writes_under_way_ ABSL_GUARDED_BY(write_mu_);
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_SQLITE_SESSION_STORE_H_
