// Sessions in Redis, for several BackChat replicas behind a load balancer.
#ifndef BACKCHAT_SERVICE_STORE_REDIS_SESSION_STORE_H_
#define BACKCHAT_SERVICE_STORE_REDIS_SESSION_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/store/session_codec.h"
#include "service/store/session_store.h"

struct redisContext;
struct redisReply;

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
};

// Thread-safe: one connection behind a mutex. Each operation is one Lua
// script, so the compare-and-set of a session's version is atomic in Redis.
// When Redis is unreachable, calls return UNAVAILABLE and the next call
// connects again.
class RedisSessionStore final : public SessionStore {
 public:
  // Connects (UNAVAILABLE if Redis does not answer). Does not own `codec`.
  static absl::StatusOr<std::unique_ptr<RedisSessionStore>> Open(
      RedisStoreOptions options, const SessionCodec* codec);
  ~RedisSessionStore() override;

  absl::Status Create(const Session& session) override;
  absl::StatusOr<Session> Load(absl::string_view id) override;
  absl::Status Update(Session* session) override;

 private:
  RedisStoreOptions options_;
  const SessionCodec* codec_;

  RedisSessionStore(RedisStoreOptions options, const SessionCodec* codec)
      : options_(std::move(options)), codec_(codec) {}
  absl::Status Connect() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Runs EVAL with `script`, one key and `args`; the reply is owned by the
  // caller (freeReplyObject). UNAVAILABLE on any connection problem.
  absl::StatusOr<redisReply*> Eval(const char* script, const std::string& key,
                                   const std::vector<std::string>& args);
  std::string Key(absl::string_view id) const;

  absl::Mutex mu_;
  redisContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_REDIS_SESSION_STORE_H_
