#include "service/store/redis_pipeline.h"

#include <utility>

namespace backchat::store {

RedisPipeline::RedisPipeline(RedisAddress address)
    : connection_(std::move(address)),
      worker_([this](std::vector<Queued>& batch) { Send(batch); }) {}

void RedisPipeline::SubmitScript(const RedisScript& script, const std::string& key,
                                 const std::vector<std::string>& args, Then then) {
  worker_.Submit(Queued{&script, ScriptCommand(script, key, args), std::move(then)});
}

void RedisPipeline::Submit(std::vector<std::string> command, Then then) {
  worker_.Submit(Queued{nullptr, std::move(command), std::move(then)});
}

void RedisPipeline::Send(std::vector<Queued>& batch) {
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
    commands[i][1] = batch[i].script->text;
    evals.push_back(std::move(commands[i]));
  }
  if (!evals.empty()) {
    std::vector<absl::StatusOr<RedisReply>> second = connection_.Pipeline(evals);
    for (size_t j = 0; j < again.size(); ++j) replies[again[j]] = std::move(second[j]);
    ++round_trips;
  }
  round_trips_ += round_trips;
  // What waits for a reply (a call's answer) may hand over more scripts.
  for (size_t i = 0; i < batch.size(); ++i) batch[i].then(std::move(replies[i]));
}

}  // namespace backchat::store
