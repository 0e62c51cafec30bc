#include "service/store/redis_session_store.h"

#include <algorithm>

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

absl::Status SessionNotFound() {
  return absl::NotFoundError(
      "session_id: no such session; it may have expired. Start a new session");
}

}  // namespace

RedisSessionStore::RedisSessionStore(RedisStoreOptions options, const SessionCodec* codec)
    : options_(std::move(options)), codec_(codec), cache_(options_.cache_capacity) {
  for (int i = 0; i < std::max(1, options_.connections); ++i) {
    connections_.push_back(std::make_unique<RedisConnection>(
        RedisAddress{options_.host, options_.port, options_.database, options_.timeout}));
  }
}

RedisConnection& RedisSessionStore::redis() {
  return *connections_[next_connection_.fetch_add(1, std::memory_order_relaxed) %
                       connections_.size()];
}

absl::StatusOr<std::unique_ptr<RedisSessionStore>> RedisSessionStore::Open(
    RedisStoreOptions options, const SessionCodec* codec) {
  std::unique_ptr<RedisSessionStore> store(
      new RedisSessionStore(std::move(options), codec));
  const absl::Status connected = store->connections_.front()->Connect();
  if (!connected.ok()) {
    return absl::UnavailableError(absl::StrCat("session store: ", connected.message()));
  }
  return store;
}

std::string RedisSessionStore::Key(absl::string_view id) const {
  return absl::StrCat(options_.key_prefix, id);
}

absl::Status RedisSessionStore::Create(const Session& session) {
  auto reply = redis().Eval(kCreate, Key(session.id),
                    {codec_->Encode(session),
                     absl::StrCat(absl::ToInt64Milliseconds(options_.idle_timeout)),
                     absl::StrCat(options_.max_sessions)});
  if (!reply.ok()) {
    return absl::UnavailableError(absl::StrCat("session store: ", reply.status().message()));
  }
  const RedisReply& owned = *reply;
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
  Remember(session);
  return absl::OkStatus();
}

void RedisSessionStore::Remember(const Session& session) {
  const absl::Time now = absl::Now();
  cache_.Put(session, now);
  constexpr unsigned kSweepEvery = 1024;
  if (writes_.fetch_add(1, std::memory_order_relaxed) % kSweepEvery == kSweepEvery - 1) {
    cache_.EraseUsedBefore(now - options_.idle_timeout);
  }
}

absl::StatusOr<Session> RedisSessionStore::LoadForUpdate(absl::string_view id) {
  if (auto hit = cache_.Find(id);
      hit.has_value() && absl::Now() - hit->last_used < options_.idle_timeout) {
    hit->session.maybe_stale = true;
    return std::move(hit->session);
  }
  return Load(id);
}

absl::StatusOr<Session> RedisSessionStore::Load(absl::string_view id) {
  auto reply = redis().Eval(kLoad, Key(id),
                    {absl::StrCat(absl::ToInt64Milliseconds(options_.idle_timeout))});
  if (!reply.ok()) {
    return absl::UnavailableError(absl::StrCat("session store: ", reply.status().message()));
  }
  const RedisReply& owned = *reply;
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
  auto reply = redis().Eval(kUpdate, Key(session->id),
                    {absl::StrCat(session->version), codec_->Encode(*session),
                     absl::StrCat(absl::ToInt64Milliseconds(options_.idle_timeout))});
  if (!reply.ok()) {
    return absl::UnavailableError(absl::StrCat("session store: ", reply.status().message()));
  }
  const RedisReply& owned = *reply;
  if (owned->type != REDIS_REPLY_INTEGER) {
    return absl::UnavailableError("session store: unexpected reply from Redis");
  }
  if (owned->integer <= 0) {
    cache_.Erase(session->id);  // gone, or moved on by another request
    if (owned->integer < 0) return SessionNotFound();
    return absl::AbortedError(
        "the session was changed by another request; fetch the session and retry");
  }
  ++session->version;
  Remember(*session);
  return absl::OkStatus();
}

absl::Status RedisSessionStore::Delete(absl::string_view id) {
  auto reply = redis().Command({"DEL", Key(id)});
  cache_.Erase(id);
  if (!reply.ok()) {
    return absl::UnavailableError(absl::StrCat("session store: ", reply.status().message()));
  }
  if ((*reply)->type != REDIS_REPLY_INTEGER) {
    return absl::UnavailableError("session store: unexpected reply from Redis");
  }
  if ((*reply)->integer == 0) return SessionNotFound();
  return absl::OkStatus();
}

absl::Status RedisSessionStore::Ping() {
  auto reply = redis().Command({"PING"});
  if (!reply.ok()) {
    return absl::UnavailableError(absl::StrCat("session store: ", reply.status().message()));
  }
  return absl::OkStatus();
}

}  // namespace backchat::store
