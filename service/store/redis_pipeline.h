// Scripts for one Redis, sent by a thread of their own over a connection
// of their own: the scripts handed over while one batch was on its way go
// out together in the next, in one write, and their replies come back
// together (Redis pipelining). Under load one round trip then carries the
// writes of many calls, and no caller waits for it (see
// common/deferred_writes.h).
#ifndef BACKCHAT_SERVICE_STORE_REDIS_PIPELINE_H_
#define BACKCHAT_SERVICE_STORE_REDIS_PIPELINE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "service/common/batch_worker.h"
#include "service/store/redis_connection.h"

namespace backchat::store {

// Thread-safe.
class RedisPipeline {
 public:
  using Then = absl::AnyInvocable<void(absl::StatusOr<RedisReply>)>;

  // Starts the thread; connects on the first batch. The destructor sends
  // what was handed over, then ends the thread.
  explicit RedisPipeline(RedisAddress address);
  RedisPipeline(const RedisPipeline&) = delete;
  RedisPipeline& operator=(const RedisPipeline&) = delete;

  // Queues `script` (by its SHA1; by its text once more if Redis forgot
  // it) with one key and `args`. `then` gets the reply, as
  // RedisConnection::Pipeline() gives it, on the pipeline's thread, in the
  // order the scripts were handed over.
  void SubmitScript(const RedisScript& script, const std::string& key,
                    const std::vector<std::string>& args, Then then);
  // Queues a command given as arguments, likewise.
  void Submit(std::vector<std::string> command, Then then);
  // Waits until every script handed over so far has had its `then` run.
  void Drain() { worker_.Drain(); }
  // Batches sent so far: fewer than the scripts under load.
  uint64_t round_trips() const { return round_trips_.load(); }

 private:
  struct Queued {
    const RedisScript* script;  // null for a plain command
    std::vector<std::string> command;
    Then then;
  };
  // Sends `batch`, then hands each reply to its `then`, in order.
  void Send(std::vector<Queued>& batch);

  RedisConnection connection_;  // used by the worker's thread alone
  std::atomic<uint64_t> round_trips_{0};
  BatchWorker<Queued> worker_;  // last: its thread uses the above
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_REDIS_PIPELINE_H_
