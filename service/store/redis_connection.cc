#include "service/store/redis_connection.h"

#include <errno.h>
#include <openssl/evp.h>
#include <poll.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace backchat::store {

RedisConnection::~RedisConnection() {
  absl::MutexLock lock(&mu_);
  if (context_ != nullptr) redisFree(context_);
}

absl::Status RedisConnection::Connect() {
  absl::MutexLock lock(&mu_);
  return ConnectLocked();
}

namespace {

// Redis answers every command with "LOADING ..." while it reads its data
// back after a restart.
bool IsLoading(absl::string_view error) { return absl::StartsWith(error, "LOADING"); }

absl::Status LoadingError(absl::string_view where) {
  return absl::UnavailableError(
      absl::StrCat("Redis at ", where, " is loading its data; try again shortly"));
}

// Why a command on `context` got no reply; `error_number` is errno right
// after. Redis that does not answer within the timeout (hiredis: an I/O
// error with EAGAIN) is busy, or loading its data: it then answers only
// between chunks of it. Said so, not as the socket's "Resource temporarily
// unavailable", which sends an operator the wrong way.
absl::Status NoReply(const redisContext& context, int error_number, absl::string_view where,
                     absl::Duration timeout) {
  if (context.err == REDIS_ERR_IO && (error_number == EAGAIN || error_number == EWOULDBLOCK)) {
    return absl::UnavailableError(absl::StrCat(
        "Redis at ", where, " did not answer within ", absl::FormatDuration(timeout),
        "; it may be busy or loading its data; try again shortly"));
  }
  return absl::UnavailableError(absl::StrCat("Redis at ", where, ": ", context.errstr));
}

}  // namespace

absl::Status RedisConnection::ConnectLocked() {
  if (context_ != nullptr) return absl::OkStatus();
  const std::string where = Where();
  redisContext* context = redisConnectWithTimeout(
      address_.host.c_str(), address_.port, absl::ToTimeval(address_.timeout));
  if (context == nullptr || context->err) {
    const std::string why = context != nullptr ? context->errstr : "out of memory";
    if (context != nullptr) redisFree(context);
    return absl::UnavailableError(
        absl::StrCat("cannot reach Redis at ", where, ": ", why));
  }
  redisSetTimeout(context, absl::ToTimeval(address_.timeout));
  RedisReply selected(static_cast<redisReply*>(
      redisCommand(context, "SELECT %d", address_.database)));
  if (selected == nullptr) {
    const absl::Status no_reply = NoReply(*context, errno, where, address_.timeout);
    redisFree(context);
    return no_reply;
  }
  if (selected->type == REDIS_REPLY_ERROR) {
    const std::string why(selected->str, selected->len);
    redisFree(context);
    if (IsLoading(why)) return LoadingError(where);
    return absl::UnavailableError(absl::StrCat("Redis at ", where, " refused database ",
                                               address_.database, ": ", why));
  }
  context_ = context;
  return absl::OkStatus();
}

namespace {

std::vector<const char*> ArgPointers(const std::vector<std::string>& args,
                                     std::vector<size_t>* lengths) {
  std::vector<const char*> argv;
  argv.reserve(args.size());
  lengths->clear();
  lengths->reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths->push_back(arg.size());
  }
  return argv;
}

// Whether Redis closed the connection while it was idle: Redis sends
// nothing unasked, so anything to read (the end of the stream) means it
// did. One poll() with no wait.
bool ClosedByPeer(int fd) {
  pollfd idle{fd, POLLIN, 0};
  return poll(&idle, 1, 0) > 0;
}

}  // namespace

std::string RedisConnection::Where() const {
  return absl::StrCat(address_.host, ":", address_.port);
}

void RedisConnection::Drop() {
  redisFree(context_);
  context_ = nullptr;
}

absl::StatusOr<RedisReply> RedisConnection::Checked(RedisReply reply) const {
  if (reply->type != REDIS_REPLY_ERROR) return reply;
  const absl::string_view why(reply->str, reply->len);
  if (IsLoading(why)) return LoadingError(Where());
  // Which Redis, for an operator with several ("OOM command not allowed",
  // "READONLY You can't write against a read only replica").
  return absl::UnavailableError(
      absl::StrCat("Redis at ", Where(), " answered with an error: ", why));
}

absl::StatusOr<RedisReply> RedisConnection::Command(const std::vector<std::string>& args) {
  std::vector<size_t> lengths;
  std::vector<const char*> argv = ArgPointers(args, &lengths);
  absl::MutexLock lock(&mu_);
  // Retrying is safe for BackChat's commands: a repeated update fails its
  // version check instead of applying twice.
  const int attempts = context_ != nullptr ? 2 : 1;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    const absl::Status connected = ConnectLocked();
    if (!connected.ok()) return connected;
    RedisReply reply(static_cast<redisReply*>(redisCommandArgv(
        context_, static_cast<int>(argv.size()), argv.data(), lengths.data())));
    if (reply == nullptr) {
      const int error_number = errno;  // before Where() allocates
      const absl::Status no_reply = NoReply(*context_, error_number, Where(), address_.timeout);
      Drop();  // Broken: the next attempt or call connects again.
      if (attempt == attempts) return no_reply;
      continue;
    }
    return Checked(std::move(reply));
  }
  return absl::UnavailableError(absl::StrCat("Redis at ", Where(), ": no reply"));
}

std::vector<absl::StatusOr<RedisReply>> RedisConnection::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  std::vector<absl::StatusOr<RedisReply>> replies;
  replies.reserve(commands.size());
  absl::MutexLock lock(&mu_);
  if (context_ != nullptr && ClosedByPeer(context_->fd)) Drop();
  if (const absl::Status connected = ConnectLocked(); !connected.ok()) {
    while (replies.size() < commands.size()) replies.emplace_back(connected);
    return replies;
  }
  std::vector<size_t> lengths;
  for (const auto& command : commands) {
    std::vector<const char*> argv = ArgPointers(command, &lengths);
    // Only buffers: the first redisGetReply() sends them all.
    redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(),
                           lengths.data());
  }
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
      const int error_number = errno;  // before Where() allocates
      const absl::Status broken = NoReply(*context_, error_number, Where(), address_.timeout);
      Drop();
      while (replies.size() < commands.size()) replies.emplace_back(broken);
      return replies;
    }
    replies.push_back(Checked(RedisReply(static_cast<redisReply*>(raw))));
  }
  return replies;
}

absl::StatusOr<RedisReply> RedisConnection::Eval(const RedisScript& script,
                                                 const std::string& key,
                                                 const std::vector<std::string>& args) {
  // By its SHA1 (EVALSHA): Redis then neither receives nor hashes the
  // script on every call. Redis forgets scripts when it restarts; then
  // EVAL sends it once more and Redis keeps it again.
  std::vector<std::string> command = ScriptCommand(script, key, args);
  absl::StatusOr<RedisReply> reply = Command(command);
  if (reply.ok() || !IsNoScript(reply.status())) return reply;
  command[0] = "EVAL";
  command[1] = script.text;
  return Command(command);
}

std::vector<std::string> ScriptCommand(const RedisScript& script, const std::string& key,
                                       const std::vector<std::string>& args) {
  std::vector<std::string> command;
  command.reserve(4 + args.size());
  command.insert(command.end(), {"EVALSHA", script.sha1, "1", key});
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

bool IsNoScript(const absl::Status& status) {
  return absl::StrContains(status.message(), "NOSCRIPT");
}

std::string ScriptSha1(absl::string_view script) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(script.data(), script.size(), digest, &length, EVP_sha1(), nullptr);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace backchat::store
