// Sessions in Redis, for several BackChat replicas behind a load balancer.
#ifndef BACKCHAT_SERVICE_STORE_REDIS_SESSION_STORE_H_
#define BACKCHAT_SERVICE_STORE_REDIS_SESSION_STORE_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "service/store/redis_connection.h"
#include "service/store/redis_pipeline.h"
#include "service/store/session_cache.h"
#include "service/store/session_codec.h"
#include "service/store/session_store.h"

namespace backchat::store {

struct RedisStoreOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  // Use a database of its own: the session cap counts its keys (DBSIZE).
  int database = 0;
  std::string key_prefix = "backchat:session:";
  // Redis expiry is the idle timeout: every use renews it, and Redis
  // deletes expired sessions itself.
  absl::Duration idle_timeout = absl::Minutes(30);
  size_t max_sessions = 100000;
  absl::Duration timeout = absl::Seconds(1);
  // Connections used in turn: calls from several threads wait for Redis
  // together instead of one after another behind one connection.
  int connections = 4;
  // Sessions this server last wrote, kept in its memory (see SessionCache)
  // so that an answer is one round trip; 0 for none.
  size_t cache_capacity = 16384;
};

// Thread-safe (see RedisConnection); options.connections connections, each
// call on the next. Each operation is one round trip: one Lua script (sent
// by its SHA1), so the compare-and-set of a session's version is atomic in
// Redis. When Redis
// is unreachable, calls return UNAVAILABLE and a later call connects again.
//
// LoadForUpdate answers from a cache of the sessions this server last
// wrote, so an answer costs one round trip (the checked update) instead of
// two. The copy is marked maybe_stale: when another replica moved the
// session on, the update finds a newer version and is ABORTED, and the
// caller loads the stored session (see SessionStore::LoadForUpdate). Load()
// always asks Redis.
//
// Inside a DeferredWrites scope, Create and Update are handed to a
// RedisPipeline and return at once; the call is answered once Redis has
// its write. So an answer from the cache waits for nothing, and under
// load one round trip carries many answers. Their rules:
//  - The new state is cached at once, unsaved (Session::pending_write).
//    A call never builds on an unsaved copy: inside a scope it fails to
//    be run again (DeferredWrites::RunAgain), outside one it reads Redis.
//    So no write is ever based on one that may still fail, whatever
//    another replica does meanwhile.
//  - A write that fails drops the cached copy; one whose stale copy was
//    ABORTED (another replica moved the session on) fails marked
//    RunAgain, and its call runs again on the stored session, as above.
//  - A triage record follows its answer (see RedisRecordStore).
class RedisSessionStore final : public SessionStore {
 public:
  // Connects (UNAVAILABLE if Redis does not answer). Does not own `codec`.
  static absl::StatusOr<std::unique_ptr<RedisSessionStore>> Open(
      RedisStoreOptions options, const SessionCodec* codec);

  absl::Status Create(const Session& session) override;
  absl::StatusOr<Session> Load(absl::string_view id) override;
  absl::StatusOr<Session> LoadForUpdate(absl::string_view id) override;
  absl::Status Update(Session* session) override;
  absl::Status Delete(absl::string_view id) override;
  absl::Status Ping() override;
  // A new session, or an answer from a fresh, saved cached copy.
  bool ServesFromMemory(absl::string_view session_id, Reading reading) override;
  void AwaitWrites() override { pipeline_.Drain(); }
  // Round trips of deferred writes so far (fewer than the writes under
  // load).
  uint64_t pipelined_round_trips() const { return pipeline_.round_trips(); }

 private:
  RedisStoreOptions options_;
  const SessionCodec* codec_;

  RedisSessionStore(RedisStoreOptions options, const SessionCodec* codec);
  std::string Key(absl::string_view id) const;
  // The connection for the next call.
  RedisConnection& redis();

  std::vector<std::unique_ptr<RedisConnection>> connections_;
  std::atomic<unsigned> next_connection_{0};
  // Create() and Update() inside a DeferredWrites scope.
  absl::Status CreateLater(const Session& session);
  absl::Status UpdateLater(Session* session);
  // What a create's or an update's reply means (and "session store: ..."
  // for Redis' errors).
  absl::Status CreateResult(const absl::StatusOr<RedisReply>& reply, absl::string_view id) const;
  absl::Status UpdateResult(const absl::StatusOr<RedisReply>& reply) const;
  // A fresh cached copy, or nullopt.
  std::optional<SessionCache::Hit> FreshHit(absl::string_view id) const;
  // Caches a session just written.
  void Remember(Session session);
  // The scripts' arguments.
  std::vector<std::string> CreateArgs(const Session& session) const;
  std::vector<std::string> UpdateArgs(const Session& session) const;
  SessionCache cache_;
  // Every so many writes, entries idle longer than the idle timeout (gone
  // from Redis by now) are dropped from the cache.
  std::atomic<unsigned> writes_{0};
  // Declared last: destroyed first, its writes settled while the cache
  // they update still exists.
  RedisPipeline pipeline_;
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_REDIS_SESSION_STORE_H_
