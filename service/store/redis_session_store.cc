#include "service/store/redis_session_store.h"

#include <hiredis/hiredis.h>

#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace backchat::store {
namespace {

// KEYS[1] session; ARGV: data, ttl ms, max sessions.
// Returns 1 created, 0 exists, -1 full.
constexpr char kCreate[] = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('DBSIZE') >= tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], 'v', 0, 'd', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
)lua";

// KEYS[1] session; ARGV: ttl ms. Returns {version, data} (nils if absent)
// and renews the expiry.
constexpr char kLoad[] = R"lua(
local r = redis.call('HMGET', KEYS[1], 'v', 'd')
if r[1] then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return r
)lua";

// KEYS[1] session; ARGV: expected version, data, ttl ms.
// Returns 1 stored, 0 another update came first, -1 absent.
constexpr char kUpdate[] = R"lua(
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', tonumber(v) + 1, 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
)lua";

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;


absl::Status SessionNotFound() {
  return absl::NotFoundError(
      "session_id: no such session; it may have expired. Start a new session");
}

}  // namespace

absl::StatusOr<std::unique_ptr<RedisSessionStore>> RedisSessionStore::Open(
    RedisStoreOptions options, const SessionCodec* codec) {
  std::unique_ptr<RedisSessionStore> store(
      new RedisSessionStore(std::move(options), codec));
  absl::MutexLock lock(&store->mu_);
  const absl::Status connected = store->Connect();
  if (!connected.ok()) return connected;
  return store;
}

RedisSessionStore::~RedisSessionStore() {
  absl::MutexLock lock(&mu_);
  if (context_ != nullptr) redisFree(context_);
}

std::string RedisSessionStore::Key(absl::string_view id) const {
  return absl::StrCat(options_.key_prefix, id);
}

absl::Status RedisSessionStore::Connect() {
  if (context_ != nullptr) return absl::OkStatus();
  const std::string where = absl::StrCat(options_.host, ":", options_.port);
  redisContext* context = redisConnectWithTimeout(options_.host.c_str(), options_.port,
                                                  absl::ToTimeval(options_.timeout));
  if (context == nullptr || context->err) {
    const std::string why = context != nullptr ? context->errstr : "out of memory";
    if (context != nullptr) redisFree(context);
    return absl::UnavailableError(
        absl::StrCat("session store: cannot reach Redis at ", where, ": ", why));
  }
  redisSetTimeout(context, absl::ToTimeval(options_.timeout));
  Reply selected(static_cast<redisReply*>(
      redisCommand(context, "SELECT %d", options_.database)));
  if (selected == nullptr || selected->type == REDIS_REPLY_ERROR) {
    redisFree(context);
    return absl::UnavailableError(absl::StrCat(
        "session store: Redis at ", where, " refused database ", options_.database));
  }
  context_ = context;
  return absl::OkStatus();
}

absl::StatusOr<redisReply*> RedisSessionStore::Eval(
    const char* script, const std::string& key, const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"EVAL", script, "1", key.data()};
  std::vector<size_t> lengths = {4, strlen(script), 1, key.size()};
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  absl::MutexLock lock(&mu_);
  // A connection opened before this call may have broken meanwhile (Redis
  // restarted): then connect once more and retry. Retrying is safe: a
  // repeated update fails its version check instead of applying twice.
  const bool reused = context_ != nullptr;
  redisReply* reply = nullptr;
  for (int attempt = 0; attempt < (reused ? 2 : 1); ++attempt) {
    const absl::Status connected = Connect();
    if (!connected.ok()) return connected;
    reply = static_cast<redisReply*>(redisCommandArgv(
        context_, static_cast<int>(argv.size()), argv.data(), lengths.data()));
    if (reply != nullptr) break;
    const std::string why = context_->errstr;
    redisFree(context_);  // Broken: the next attempt or call connects again.
    context_ = nullptr;
    if (attempt + 1 == (reused ? 2 : 1)) {
      return absl::UnavailableError(absl::StrCat("session store: Redis: ", why));
    }
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    const std::string why(reply->str, reply->len);
    freeReplyObject(reply);
    return absl::UnavailableError(absl::StrCat("session store: Redis: ", why));
  }
  return reply;
}

absl::Status RedisSessionStore::Create(const Session& session) {
  auto reply = Eval(kCreate, Key(session.id),
                    {codec_->Encode(session),
                     absl::StrCat(absl::ToInt64Milliseconds(options_.idle_timeout)),
                     absl::StrCat(options_.max_sessions)});
  if (!reply.ok()) return reply.status();
  Reply owned(*reply);
  if (owned->type != REDIS_REPLY_INTEGER) {
    return absl::UnavailableError("session store: unexpected reply from Redis");
  }
  if (owned->integer == 0) {
    return absl::AlreadyExistsError(absl::StrCat("session ", session.id, " already exists"));
  }
  if (owned->integer < 0) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the session store is full (", options_.max_sessions,
        " live sessions); try again later"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Session> RedisSessionStore::Load(absl::string_view id) {
  auto reply = Eval(kLoad, Key(id),
                    {absl::StrCat(absl::ToInt64Milliseconds(options_.idle_timeout))});
  if (!reply.ok()) return reply.status();
  Reply owned(*reply);
  if (owned->type != REDIS_REPLY_ARRAY || owned->elements != 2) {
    return absl::UnavailableError("session store: unexpected reply from Redis");
  }
  const redisReply* version = owned->element[0];
  const redisReply* data = owned->element[1];
  if (version->type != REDIS_REPLY_STRING || data->type != REDIS_REPLY_STRING) {
    return SessionNotFound();
  }
  uint64_t v = 0;
  if (!absl::SimpleAtoi(absl::string_view(version->str, version->len), &v)) {
    return absl::DataLossError("a stored session has no valid version");
  }
  return codec_->Decode(absl::string_view(data->str, data->len), v);
}

absl::Status RedisSessionStore::Update(Session* session) {
  auto reply = Eval(kUpdate, Key(session->id),
                    {absl::StrCat(session->version), codec_->Encode(*session),
                     absl::StrCat(absl::ToInt64Milliseconds(options_.idle_timeout))});
  if (!reply.ok()) return reply.status();
  Reply owned(*reply);
  if (owned->type != REDIS_REPLY_INTEGER) {
    return absl::UnavailableError("session store: unexpected reply from Redis");
  }
  if (owned->integer < 0) return SessionNotFound();
  if (owned->integer == 0) {
    return absl::AbortedError(
        "the session was changed by another request; fetch the session and retry");
  }
  ++session->version;
  return absl::OkStatus();
}

}  // namespace backchat::store
