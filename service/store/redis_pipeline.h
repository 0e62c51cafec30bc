// Scripts for one Redis, sent by a thread of their own over a connection
// of their own: the scripts handed over while one batch was on its way go
// out together in the next, in one write, and their replies come back
// together (Redis pipelining). Under load one round trip then carries the
// writes of many calls, and no caller waits for it (see
// common/deferred_writes.h).
#ifndef BACKCHAT_SERVICE_STORE_REDIS_PIPELINE_H_
#define BACKCHAT_SERVICE_STORE_REDIS_PIPELINE_H_

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"
#include "service/store/redis_connection.h"

namespace backchat::store {

// Thread-safe.
class RedisPipeline {
 public:
  using Then = absl::AnyInvocable<void(absl::StatusOr<RedisReply>)>;

  // Starts the thread; connects on the first batch.
  explicit RedisPipeline(RedisAddress address);
  // Sends what was handed over, then ends the thread.
  ~RedisPipeline();
  RedisPipeline(const RedisPipeline&) = delete;
  RedisPipeline& operator=(const RedisPipeline&) = delete;

  // Queues `script` (by its SHA1; by its text once more if Redis forgot
  // it) with one key and `args`. `then` gets the reply, as
  // RedisConnection::Pipeline() gives it, on the pipeline's thread, in the
  // order the scripts were handed over.
  void SubmitScript(const char* script, const std::string& key,
                    const std::vector<std::string>& args, Then then);
  // Queues a command given as arguments, likewise.
  void Submit(std::vector<std::string> command, Then then);
  // Waits until every script handed over so far has had its `then` run.
  void Drain();
  // Batches sent so far: fewer than the scripts under load.
  uint64_t round_trips() const;

 private:
  struct Queued {
    const char* script;  // null for a plain command
    std::vector<std::string> command;
    Then then;
  };
  void Enqueue(Queued queued);
  void Loop();
  // Sends `batch` and returns each reply, in order.
  std::vector<absl::StatusOr<RedisReply>> Send(std::vector<Queued>& batch);

  RedisConnection connection_;  // used by the thread alone
  mutable absl::Mutex mu_;
  std::vector<Queued> queue_ ABSL_GUARDED_BY(mu_);
  bool sending_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t round_trips_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_REDIS_PIPELINE_H_
