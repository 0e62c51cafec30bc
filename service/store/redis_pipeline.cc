#include "service/store/redis_pipeline.h"

#include <utility>

namespace backchat::store {

RedisPipeline::RedisPipeline(RedisAddress address)
    : connection_(std::move(address)), thread_([this] { Loop(); }) {}

RedisPipeline::~RedisPipeline() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void RedisPipeline::SubmitScript(const char* script, const std::string& key,
                                 const std::vector<std::string>& args, Then then) {
  Enqueue(Queued{script, ScriptCommand(script, key, args), std::move(then)});
}

void RedisPipeline::Submit(std::vector<std::string> command, Then then) {
  Enqueue(Queued{nullptr, std::move(command), std::move(then)});
}

void RedisPipeline::Enqueue(Queued queued) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(queued));
}

void RedisPipeline::Drain() {
  absl::MutexLock lock(&mu_);
  auto settled = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return queue_.empty() && !sending_;
  };
  mu_.Await(absl::Condition(&settled));
}

uint64_t RedisPipeline::round_trips() const {
  absl::MutexLock lock(&mu_);
  return round_trips_;
}

void RedisPipeline::Loop() {
  while (true) {
    std::vector<Queued> batch;
    {
      absl::MutexLock lock(&mu_);
      auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !queue_.empty() || stopping_;
      };
      mu_.Await(absl::Condition(&work));
      if (queue_.empty()) return;  // stopping, and nothing left to send
      batch.swap(queue_);
      sending_ = true;
    }
    std::vector<absl::StatusOr<RedisReply>> replies = Send(batch);
    // Outside the lock: what waits for a reply (a call's answer) may take
    // a while and hand over more scripts.
    for (size_t i = 0; i < batch.size(); ++i) batch[i].then(std::move(replies[i]));
    batch.clear();
    absl::MutexLock lock(&mu_);
    sending_ = false;
  }
}

std::vector<absl::StatusOr<RedisReply>> RedisPipeline::Send(std::vector<Queued>& batch) {
  std::vector<std::vector<std::string>> commands;
  commands.reserve(batch.size());
  for (Queued& queued : batch) commands.push_back(std::move(queued.command));
  std::vector<absl::StatusOr<RedisReply>> replies = connection_.Pipeline(commands);
  int round_trips = 1;
  // Redis forgot the scripts (it restarted, or they were flushed): those
  // did not run; their text runs them, and Redis keeps them again.
  std::vector<size_t> again;
  std::vector<std::vector<std::string>> evals;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].script == nullptr || replies[i].ok() || !IsNoScript(replies[i].status())) {
      continue;
    }
    again.push_back(i);
    commands[i][0] = "EVAL";
    commands[i][1] = batch[i].script;
    evals.push_back(std::move(commands[i]));
  }
  if (!evals.empty()) {
    std::vector<absl::StatusOr<RedisReply>> second = connection_.Pipeline(evals);
    for (size_t j = 0; j < again.size(); ++j) replies[again[j]] = std::move(second[j]);
    ++round_trips;
  }
  absl::MutexLock lock(&mu_);
  round_trips_ += round_trips;
  return replies;
}

}  // namespace backchat::store
