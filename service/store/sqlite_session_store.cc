#include "service/store/sqlite_session_store.h"

#include <sqlite3.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/common/sqlite/sqlite_statement.h"
#include "service/common/status_macros.h"

namespace backchat::store {
namespace {

// Rows are kept in the order sessions were created (the rowid), with the id
// in an index: the sessions in use are the newest, so their rows share a
// few pages at the end of the table, and a commit of many answers rewrites
// those few pages. Keyed by the (random) id itself, each answer rewrote a
// page of its own: twice the bytes written per answer, by /proc/PID/io.
constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS sessions (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL,
  last_used_micros INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_last_used ON sessions (last_used_micros);
CREATE TABLE IF NOT EXISTS write_probe (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
)sql";

// A file from before that layout (keyed by id, WITHOUT ROWID) is converted
// once, in one transaction, when the store opens it: the old table is set
// aside, kSchema creates the new one, and the live sessions go over oldest
// first. The old table's pages are overwritten as they are freed
// (secure_delete).
constexpr char kSetAsideKeyedById[] = R"sql(
BEGIN;
DROP INDEX IF EXISTS sessions_by_last_used;
ALTER TABLE sessions RENAME TO sessions_keyed_by_id;
)sql";
constexpr char kCopyFromKeyedById[] = R"sql(
INSERT INTO sessions (id, version, last_used_micros, data)
  SELECT id, version, last_used_micros, data FROM sessions_keyed_by_id
  ORDER BY last_used_micros;
DROP TABLE sessions_keyed_by_id;
COMMIT;
)sql";

// Load() and Update() refresh a session's idle time only when it is older
// than this: an answer then rewrites the session's row, and not also its
// entry in the index by idle time (a tenth fewer pages per commit).
constexpr absl::Duration kTouchGranularity = absl::Minutes(1);
// Deferred refreshes are written once this many have gathered (else with
// the expiry sweep).
constexpr size_t kMaxPendingTouches = 4096;
// The probe write's size: more than a page, so that it needs room.
constexpr int kProbeBytes = 64 * 1024;

// Resets a prepared statement when it goes out of scope.
class Reset {
 public:
  explicit Reset(sqlite3_stmt* statement) : statement_(statement) {}
  ~Reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }

 private:
  sqlite3_stmt* statement_;
};

}  // namespace

class SqliteSessionStore::SessionWrite final : public SqliteWrite {
 public:
  SessionWrite(SqliteSessionStore* store, WriteKind kind, absl::string_view id,
               int64_t now_micros)
      : SqliteWrite("session store", "cannot save sessions"),
        store(store),
        kind(kind),
        id(id),
        now_micros(now_micros) {}
  bool Apply(sqlite3*) override { return store->Apply(*this); }
  void Settle(const absl::Status& result, bool committed) override {
    store->Settle(*this, result, committed);
  }
  using SqliteWrite::Refuse;

  SqliteSessionStore* const store;
  const WriteKind kind;
  const std::string id;
  const int64_t now_micros;
  std::string data;       // the encoded session (create, update)
  uint64_t version = 0;   // the version the update expects
  bool refresh_idle_time = true;  // (update) write now_micros as last used
  int count_change = 0;   // to live sessions, undone if the batch fails
};

SqliteSessionStore::SqliteSessionStore(SqliteStoreOptions options,
                                       const SessionCodec* codec,
                                       std::shared_ptr<SqliteDatabase> database)
    : options_(std::move(options)),
      codec_(codec),
      database_(std::move(database)),
      mu_(database_->mutex()),
      cache_(options_.cache_capacity) {}

absl::StatusOr<std::unique_ptr<SqliteSessionStore>> SqliteSessionStore::Open(
    SqliteStoreOptions options, const SessionCodec* codec) {
  auto database = SqliteDatabase::Shared(options.path, options.synchronous_full);
  if (!database.ok()) return database.status();
  std::unique_ptr<SqliteSessionStore> store(
      new SqliteSessionStore(std::move(options), codec, *std::move(database)));
  const absl::Status status = store->Init();
  if (!status.ok()) return status;
  if (store->options_.cleanup_interval > absl::ZeroDuration()) {
    store->cleaner_ = std::thread([s = store.get()] { s->CleanLoop(); });
  }
  return store;
}

absl::Status SqliteSessionStore::Error(absl::string_view doing) const {
  return database_->Error("session store", doing);
}

absl::Status SqliteSessionStore::Init() {
  absl::MutexLock lock(&mu_);
  sqlite3* db = database_->connection();
  BACKCHAT_RETURN_IF_ERROR(ConvertKeyedById());
  if (sqlite3_exec(db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Error("cannot set up the sessions table");
  }
  const std::pair<sqlite3_stmt**, const char*> statements[] = {
      {&insert_, "INSERT INTO sessions (id, version, last_used_micros, data) VALUES (?1, 0, ?2, ?3)"},
      {&select_, "SELECT version, last_used_micros, data FROM sessions WHERE id = ?1"},
      {&update_, "UPDATE sessions SET version = version + 1, last_used_micros = ?2, data = ?3 "
                 "WHERE id = ?1 AND version = ?4"},
      {&update_data_, "UPDATE sessions SET version = version + 1, data = ?3 "
                      "WHERE id = ?1 AND version = ?4"},
      {&touch_, "UPDATE sessions SET last_used_micros = ?2 WHERE id = ?1"},
      {&delete_, "DELETE FROM sessions WHERE id = ?1"},
      {&delete_expired_, "DELETE FROM sessions WHERE id IN (SELECT id FROM sessions "
                         "WHERE last_used_micros < ?1 LIMIT ?2)"},
  };
  for (const auto& [statement, sql] : statements) {
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, statement,
                           nullptr) != SQLITE_OK) {
      return Error("cannot prepare a statement");
    }
  }
  sqlite3_stmt* count = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM sessions", -1, &count, nullptr) !=
          SQLITE_OK ||
      sqlite3_step(count) != SQLITE_ROW) {
    sqlite3_finalize(count);
    return Error("cannot count sessions");
  }
  count_ = static_cast<size_t>(sqlite3_column_int64(count, 0));
  sqlite3_finalize(count);
  return absl::OkStatus();
}

absl::Status SqliteSessionStore::ConvertKeyedById() {
  {
    // Finalized before the conversion: a statement under way locks the table.
    SqliteStatement table(
        *database_, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'sessions'");
    const absl::StatusOr<bool> found = table.Step();
    if (!found.ok()) return found.status();
    if (!*found || !absl::StrContains(table.ColumnText(0), "WITHOUT ROWID")) {
      return absl::OkStatus();
    }
  }
  sqlite3* db = database_->connection();
  auto run = [db](const char* sql) {
    return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  };
  if (!run(kSetAsideKeyedById) || !run(kSchema) || !run(kCopyFromKeyedById)) {
    // SQLite's message, taken before the ROLLBACK replaces it.
    const absl::Status error = Error("cannot convert the sessions table to creation order");
    if (sqlite3_get_autocommit(db) == 0) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  }
  return absl::OkStatus();
}

SqliteSessionStore::~SqliteSessionStore() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (cleaner_.joinable()) cleaner_.join();
  // Writes under way use this store's statements and cache.
  database_->group_commit().Drain();
  absl::MutexLock lock(&mu_);
  for (sqlite3_stmt* s :
       {insert_, select_, update_, update_data_, touch_, delete_, delete_expired_}) {
    sqlite3_finalize(s);
  }
}

std::shared_ptr<WriteOutcome> SqliteSessionStore::Submit(std::unique_ptr<SessionWrite> write) {
  ++writes_under_way_[write->id];
  return database_->group_commit().Submit(std::move(write));
}

absl::Status SqliteSessionStore::Create(const Session& session) {
  const int64_t now_micros = absl::ToUnixMicros(options_.clock());
  auto write = std::make_unique<SessionWrite>(this, WriteKind::kCreate, session.id, now_micros);
  write->data = codec_->Encode(session);
  Session cached = session;
  cached.pending_write = write->outcome();
  std::shared_ptr<WriteOutcome> outcome;
  {
    absl::MutexLock lock(&write_mu_);
    // A new id (128 random bits): its first version is this one.
    cache_.Put(std::move(cached), absl::FromUnixMicros(now_micros));
    outcome = Submit(std::move(write));
  }
  return DeferredWrites::Await(std::move(outcome));
}

void SqliteSessionStore::AwaitWrites() { database_->group_commit().Drain(); }

bool SqliteSessionStore::FreshInCache(absl::Time last_used, absl::Time now) const {
  return now - last_used <= std::min(kTouchGranularity, options_.idle_timeout);
}

bool SqliteSessionStore::ServesFromMemory(absl::string_view session_id, Reading) {
  if (session_id.empty()) return true;  // Create() waits for nothing
  const std::optional<SessionCache::Stamp> cached = cache_.Peek(session_id);
  return cached.has_value() && FreshInCache(cached->last_used, options_.clock());
}

absl::StatusOr<Session> SqliteSessionStore::Load(absl::string_view id) {
  const absl::Time now = options_.clock();
  if (auto hit = cache_.Find(id); hit.has_value() && FreshInCache(hit->last_used, now)) {
    // An unsaved copy: what is answered from it waits for its write (and
    // fails with it).
    if (hit->session.pending_write != nullptr) {
      BACKCHAT_RETURN_IF_ERROR(DeferredWrites::Await(hit->session.pending_write));
    }
    return std::move(hit->session);
  }
  std::string data;
  uint64_t version = 0;
  absl::MutexLock lock(&mu_);
  absl::Time last_used;
  {
    Reset reset(select_);
    sqlite3_bind_text(select_, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(select_);
    if (rc == SQLITE_DONE) return SessionNotFound();
    if (rc != SQLITE_ROW) return Error("cannot read a session");
    version = static_cast<uint64_t>(sqlite3_column_int64(select_, 0));
    last_used = absl::FromUnixMicros(sqlite3_column_int64(select_, 1));
    if (auto touched = pending_touches_.find(id); touched != pending_touches_.end()) {
      last_used = std::max(last_used, touched->second);
    }
    data.assign(static_cast<const char*>(sqlite3_column_blob(select_, 2)),
                static_cast<size_t>(sqlite3_column_bytes(select_, 2)));
  }
  if (now - last_used > options_.idle_timeout) {
    Reset reset(delete_);
    sqlite3_bind_text(delete_, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    if (sqlite3_step(delete_) == SQLITE_DONE && sqlite3_changes(database_->connection()) > 0) --count_;
    pending_touches_.erase(id);
    absl::MutexLock write_lock(&write_mu_);
    cache_.Erase(id);
    return SessionNotFound();
  }
  if (now - last_used > kTouchGranularity) {
    pending_touches_[id] = now;
    last_used = now;
    // A failure here is the sweep's to retry; the read has succeeded.
    if (pending_touches_.size() >= kMaxPendingTouches) FlushTouches().IgnoreError();
  }
  absl::StatusOr<Session> session = codec_->Decode(data, version);
  // Cached only if no write of it is under way: then the file's version is
  // the one the next update must have. Under mu_, so that no batch can
  // come between the read and this.
  if (session.ok()) {
    absl::MutexLock write_lock(&write_mu_);
    if (!writes_under_way_.contains(id)) cache_.Put(*session, last_used);
  }
  return session;
}

absl::Status SqliteSessionStore::Update(Session* session) {
  const int64_t now_micros = absl::ToUnixMicros(options_.clock());
  auto write = std::make_unique<SessionWrite>(this, WriteKind::kUpdate, session->id, now_micros);
  write->data = codec_->Encode(*session);
  write->version = session->version;
  std::shared_ptr<WriteOutcome> outcome = write->outcome();
  // The copy to cache, made before the lock.
  Session stored = *session;
  stored.version = session->version + 1;
  stored.maybe_stale = false;
  stored.pending_write = outcome;
  {
    absl::MutexLock lock(&write_mu_);
    const std::optional<SessionCache::Stamp> cached = cache_.Peek(session->id);
    // Not cached: the file checks the version (see the class comment).
    if (cached.has_value()) {
      if (cached->version != session->version) {
        return absl::AbortedError(
            "the session was changed by another request; fetch the session and retry");
      }
      const absl::Time now = absl::FromUnixMicros(now_micros);
      // Half the granularity: the copy stays fresh enough for Load() to
      // answer from memory.
      write->refresh_idle_time = now - cached->last_used >= kTouchGranularity / 2;
      cache_.Put(std::move(stored), write->refresh_idle_time ? now : cached->last_used);
    }
    Submit(std::move(write));
  }
  BACKCHAT_RETURN_IF_ERROR(DeferredWrites::Await(outcome));
  ++session->version;
  session->pending_write = std::move(outcome);
  return absl::OkStatus();
}

absl::Status SqliteSessionStore::Delete(absl::string_view id) {
  auto write = std::make_unique<SessionWrite>(this, WriteKind::kDelete, id,
                                              absl::ToUnixMicros(options_.clock()));
  std::shared_ptr<WriteOutcome> outcome;
  {
    absl::MutexLock lock(&write_mu_);
    cache_.Erase(id);
    outcome = Submit(std::move(write));
  }
  return DeferredWrites::Await(std::move(outcome));
}

bool SqliteSessionStore::Apply(SessionWrite& write) {
  mu_.AssertHeld();
  sqlite3* db = database_->connection();
  switch (write.kind) {
    case WriteKind::kCreate: {
      if (count_ >= options_.max_sessions) {
        write.Refuse(absl::ResourceExhaustedError(absl::StrCat(
            "the session store is full (", options_.max_sessions,
            " live sessions); try again later")));
        return true;
      }
      Reset reset(insert_);
      sqlite3_bind_text(insert_, 1, write.id.data(), static_cast<int>(write.id.size()),
                        SQLITE_STATIC);
      sqlite3_bind_int64(insert_, 2, write.now_micros);
      sqlite3_bind_blob(insert_, 3, write.data.data(), static_cast<int>(write.data.size()),
                        SQLITE_STATIC);
      const int rc = sqlite3_step(insert_);
      if (rc == SQLITE_CONSTRAINT) {
        write.Refuse(absl::AlreadyExistsError(absl::StrCat("session ", write.id, " already exists")));
        return true;
      }
      if (rc != SQLITE_DONE) return false;
      ++count_;
      write.count_change = 1;
      return true;
    }
    case WriteKind::kUpdate: {
      {
        sqlite3_stmt* update = write.refresh_idle_time ? update_ : update_data_;
        Reset reset(update);
        sqlite3_bind_text(update, 1, write.id.data(), static_cast<int>(write.id.size()),
                          SQLITE_STATIC);
        sqlite3_bind_int64(update, 2, write.now_micros);
        sqlite3_bind_blob(update, 3, write.data.data(), static_cast<int>(write.data.size()),
                          SQLITE_STATIC);
        sqlite3_bind_int64(update, 4, static_cast<int64_t>(write.version));
        if (sqlite3_step(update) != SQLITE_DONE) return false;
      }
      if (sqlite3_changes(db) == 1) return true;
      // Nothing changed: the session is gone, or another update came first.
      Reset reset(select_);
      sqlite3_bind_text(select_, 1, write.id.data(), static_cast<int>(write.id.size()),
                        SQLITE_STATIC);
      const int rc = sqlite3_step(select_);
      if (rc == SQLITE_DONE) {
        write.Refuse(SessionNotFound());
      } else if (rc == SQLITE_ROW) {
        write.Refuse(absl::AbortedError(
            "the session was changed by another request; fetch the session and retry"));
      } else {
        return false;
      }
      return true;
    }
    case WriteKind::kDelete: {
      Reset reset(delete_);
      sqlite3_bind_text(delete_, 1, write.id.data(), static_cast<int>(write.id.size()),
                        SQLITE_STATIC);
      if (sqlite3_step(delete_) != SQLITE_DONE) return false;
      if (sqlite3_changes(db) == 0) {
        write.Refuse(SessionNotFound());
      } else {
        --count_;
        write.count_change = -1;
      }
      return true;
    }
  }
  return false;
}

void SqliteSessionStore::Settle(SessionWrite& write, const absl::Status& result,
                                bool committed) {
  mu_.AssertHeld();
  if (committed) {
    writes_failing_ = false;
  } else {
    count_ -= write.count_change;
    writes_failing_ = true;
  }
  // A refresh Load() deferred is older than this write's (or moot).
  if ((result.ok() && write.refresh_idle_time) || write.kind == WriteKind::kDelete) {
    pending_touches_.erase(write.id);
  }
  absl::MutexLock lock(&write_mu_);
  if (auto it = writes_under_way_.find(write.id); --it->second == 0) writes_under_way_.erase(it);
  // An unsaved copy whose write failed is dropped: reads go to the file,
  // and updates based on it fail their version check there.
  if (!result.ok()) cache_.Erase(write.id);
}

int64_t SqliteSessionStore::LiveSessions() {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(count_);
}

absl::Status SqliteSessionStore::Ping() {
  absl::MutexLock lock(&mu_);
  if (sqlite3_exec(database_->connection(), "SELECT 1 FROM sessions LIMIT 1", nullptr, nullptr,
                   nullptr) != SQLITE_OK) {
    return Error("cannot read the sessions table");
  }
  if (!writes_failing_) return absl::OkStatus();
  // Writes failed: the store is not healthy until one would succeed again.
  if (absl::Status probed = ProbeWrite(); !probed.ok()) return probed;
  writes_failing_ = false;
  return absl::OkStatus();
}

absl::Status SqliteSessionStore::WriteError(absl::string_view doing) {
  writes_failing_ = true;
  return Error(doing);
}

absl::Status SqliteSessionStore::FlushTouches() {
  if (pending_touches_.empty()) return absl::OkStatus();
  sqlite3* db = database_->connection();
  // Rare (every 4,096 refreshes, and the sweep): not worth prepared
  // BEGIN and COMMIT beside the group commit's.
  if (sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return WriteError("cannot refresh sessions");
  }
  for (const auto& [id, when] : pending_touches_) {
    Reset reset(touch_);
    sqlite3_bind_text(touch_, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    sqlite3_bind_int64(touch_, 2, absl::ToUnixMicros(when));
    if (sqlite3_step(touch_) != SQLITE_DONE) {
      const absl::Status error = WriteError("cannot refresh sessions");
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      return error;
    }
  }
  if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    const absl::Status error = WriteError("cannot refresh sessions");
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return error;
  }
  pending_touches_.clear();
  return absl::OkStatus();
}

absl::Status SqliteSessionStore::ProbeWrite() {
  sqlite3* db = database_->connection();
  const std::string insert =
      absl::StrCat("INSERT OR REPLACE INTO write_probe (id, data) VALUES (1, randomblob(",
                   kProbeBytes, "))");
  int log = 0, checkpointed = 0;
  if (sqlite3_exec(db, insert.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &checkpointed) !=
          SQLITE_OK ||
      sqlite3_exec(db, "DELETE FROM write_probe", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Error("writes fail (is the disk full?)");
  }
  return absl::OkStatus();
}

absl::StatusOr<int> SqliteSessionStore::DeleteExpired(int batch) {
  const int64_t cutoff = absl::ToUnixMicros(options_.clock() - options_.idle_timeout);
  absl::MutexLock lock(&mu_);
  // Sessions read lately must not expire by a refresh not yet written.
  if (absl::Status flushed = FlushTouches(); !flushed.ok()) return flushed;
  Reset reset(delete_expired_);
  sqlite3_bind_int64(delete_expired_, 1, cutoff);
  sqlite3_bind_int(delete_expired_, 2, batch);
  if (sqlite3_step(delete_expired_) != SQLITE_DONE) {
    return WriteError("cannot delete expired sessions");
  }
  const int deleted = sqlite3_changes(database_->connection());
  count_ -= std::min(count_, static_cast<size_t>(deleted));
  absl::MutexLock write_lock(&write_mu_);
  cache_.EraseUsedBefore(absl::FromUnixMicros(cutoff));
  return deleted;
}

uint64_t SqliteSessionStore::commits() const {
  return database_->group_commit().commits();
}

size_t SqliteSessionStore::size() const {
  absl::MutexLock lock(&mu_);
  return count_;
}

void SqliteSessionStore::CleanLoop() {
  constexpr int kBatch = 500;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto stop = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
      mu_.AwaitWithTimeout(absl::Condition(&stop), options_.cleanup_interval);
      if (stopping_) return;
    }
    // Small batches, the lock released in between: requests never wait
    // behind a long delete.
    while (true) {
      auto deleted = DeleteExpired(kBatch);
      if (!deleted.ok() || *deleted < kBatch) break;
    }
  }
}

}  // namespace backchat::store
