// One Redis connection that reconnects by itself: shared by the Redis
// session and record stores.
#ifndef BACKCHAT_SERVICE_STORE_REDIS_CONNECTION_H_
#define BACKCHAT_SERVICE_STORE_REDIS_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include <hiredis/hiredis.h>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace backchat::store {

struct RedisAddress {
  std::string host = "127.0.0.1";
  int port = 6379;
  int database = 0;
  absl::Duration timeout = absl::Seconds(1);
};

// Redis' name for a script: its SHA1, in lower-case hex.
std::string ScriptSha1(absl::string_view script);

// A Lua script and its SHA1, hashed once (not on every call): Redis runs it
// by the SHA1 (EVALSHA), and by its text when it does not have it.
struct RedisScript {
  explicit RedisScript(const char* text) : text(text), sha1(ScriptSha1(text)) {}
  const char* text;
  std::string sha1;
};

struct RedisReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using RedisReply = std::unique_ptr<redisReply, RedisReplyDeleter>;

// Thread-safe (one connection behind a mutex).
class RedisConnection {
 public:
  explicit RedisConnection(RedisAddress address) : address_(std::move(address)) {}
  ~RedisConnection();

  // Connects now if not connected. UNAVAILABLE if Redis does not answer.
  absl::Status Connect();

  // Runs one command given as arguments (binary-safe). A connection that
  // broke since its last use (Redis restarted) is reopened and the command
  // retried once. UNAVAILABLE on connection problems and Redis errors.
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& args);

  // Runs `script` (a Lua script, by its SHA1 once Redis has it) with one
  // key and `args`.
  absl::StatusOr<RedisReply> Eval(const RedisScript& script, const std::string& key,
                                  const std::vector<std::string>& args);

  // Sends `commands` in one write and reads their replies in order: one
  // round trip for all (Redis pipelining). Replies as Command() gives
  // them. A connection Redis closed while it was idle (a restart) is
  // reopened before anything is sent; one that breaks after sending fails
  // every command not answered yet, UNAVAILABLE, and is not retried: a
  // command may have run.
  std::vector<absl::StatusOr<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

 private:
  absl::Status ConnectLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // A reply, or the error it carries as UNAVAILABLE (the loading error
  // while Redis reads its data back).
  absl::StatusOr<RedisReply> Checked(RedisReply reply) const;
  // Frees a connection that failed: the next call connects again.
  void Drop() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // "HOST:PORT", for messages.
  std::string Where() const;

  const RedisAddress address_;
  absl::Mutex mu_;
  redisContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
};

// EVALSHA of `script` with one key and `args`.
std::vector<std::string> ScriptCommand(const RedisScript& script, const std::string& key,
                                       const std::vector<std::string>& args);
// Whether a command failed because Redis does not have the script (it
// restarted): then it did not run, and EVAL with the script's text runs it.
bool IsNoScript(const absl::Status& status);

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_REDIS_CONNECTION_H_
