#include "service/store/redis_session_store.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "service/common/deferred_writes.h"

namespace backchat::store {
namespace {

// KEYS[1] session; ARGV: data, ttl ms, max sessions.
// Returns 1 created, 0 exists, -1 full.
const RedisScript& CreateScript() {
  static const RedisScript* const script = new RedisScript(R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if redis.call('DBSIZE') >= tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], 'v', 0, 'd', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
)lua");
  return *script;
}

// KEYS[1] session; ARGV: ttl ms. Returns {version, data} (nils if absent)
// and renews the expiry.
const RedisScript& LoadScript() {
  static const RedisScript* const script = new RedisScript(R"lua(
local r = redis.call('HMGET', KEYS[1], 'v', 'd')
if r[1] then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return r
)lua");
  return *script;
}

// KEYS[1] session; ARGV: expected version, data, ttl ms.
// Returns 1 stored, 0 another update came first, -1 absent.
const RedisScript& UpdateScript() {
  static const RedisScript* const script = new RedisScript(R"lua(
local v = redis.call('HGET', KEYS[1], 'v')
if not v then return -1 end
if v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', tonumber(v) + 1, 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
)lua");
  return *script;
}

}  // namespace

RedisSessionStore::RedisSessionStore(RedisStoreOptions options, const SessionCodec* codec)
    : options_(std::move(options)),
      codec_(codec),
      cache_(options_.cache_capacity),
      pipeline_(RedisAddress{options_.host, options_.port, options_.database, options_.timeout}) {
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

std::vector<std::string> RedisSessionStore::CreateArgs(const Session& session) const {
  return {codec_->Encode(session), absl::StrCat(absl::ToInt64Milliseconds(options_.idle_timeout)),
          absl::StrCat(options_.max_sessions)};
}

std::vector<std::string> RedisSessionStore::UpdateArgs(const Session& session) const {
  return {absl::StrCat(session.version), codec_->Encode(session),
          absl::StrCat(absl::ToInt64Milliseconds(options_.idle_timeout))};
}

absl::Status RedisSessionStore::CreateResult(const absl::StatusOr<RedisReply>& reply,
                                             absl::string_view id) const {
  if (!reply.ok()) {
    return absl::UnavailableError(absl::StrCat("session store: ", reply.status().message()));
  }
  const RedisReply& owned = *reply;
  if (owned->type != REDIS_REPLY_INTEGER) {
    return absl::UnavailableError("session store: unexpected reply from Redis");
  }
  if (owned->integer == 0) {
    return absl::AlreadyExistsError(absl::StrCat("session ", id, " already exists"));
  }
  if (owned->integer < 0) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the session store is full (", options_.max_sessions,
        " live sessions); try again later"));
  }
  return absl::OkStatus();
}

absl::Status RedisSessionStore::UpdateResult(const absl::StatusOr<RedisReply>& reply) const {
  if (!reply.ok()) {
    return absl::UnavailableError(absl::StrCat("session store: ", reply.status().message()));
  }
  const RedisReply& owned = *reply;
  if (owned->type != REDIS_REPLY_INTEGER) {
    return absl::UnavailableError("session store: unexpected reply from Redis");
  }
  if (owned->integer < 0) return SessionNotFound();
  if (owned->integer == 0) {
    return absl::AbortedError(
        "the session was changed by another request; fetch the session and retry");
  }
  return absl::OkStatus();
}

absl::Status RedisSessionStore::Create(const Session& session) {
  if (DeferredWrites::Active()) return CreateLater(session);
  const absl::Status created = CreateResult(
      redis().Eval(CreateScript(), Key(session.id), CreateArgs(session)), session.id);
  if (created.ok()) Remember(session);
  return created;
}

absl::Status RedisSessionStore::CreateLater(const Session& session) {
  auto outcome = std::make_shared<WriteOutcome>();
  Session cached = session;
  cached.pending_write = outcome;
  // Cached first: the reply may come before Remember() would return.
  Remember(std::move(cached));
  pipeline_.SubmitScript(CreateScript(), Key(session.id), CreateArgs(session),
                         [this, outcome, id = session.id](absl::StatusOr<RedisReply> reply) {
                           absl::Status created = CreateResult(reply, id);
                           if (!created.ok()) cache_.Erase(id);
                           outcome->Complete(std::move(created));
                         });
  return DeferredWrites::Await(std::move(outcome));
}

void RedisSessionStore::Remember(Session session) {
  const absl::Time now = absl::Now();
  cache_.Put(std::move(session), now);
  constexpr unsigned kSweepEvery = 1024;
  if (writes_.fetch_add(1, std::memory_order_relaxed) % kSweepEvery == kSweepEvery - 1) {
    cache_.EraseUsedBefore(now - options_.idle_timeout);
  }
}

std::optional<SessionCache::Hit> RedisSessionStore::FreshHit(absl::string_view id) const {
  std::optional<SessionCache::Hit> hit = cache_.Find(id);
  if (hit.has_value() && absl::Now() - hit->last_used < options_.idle_timeout) return hit;
  return std::nullopt;
}

bool RedisSessionStore::ServesFromMemory(absl::string_view session_id, Reading reading) {
  if (session_id.empty()) return true;  // Create() waits for nothing
  if (reading != Reading::kLoadForUpdate) return false;  // Load() asks Redis
  const std::optional<SessionCache::Stamp> cached = cache_.Peek(session_id);
  return cached.has_value() && !cached->unsaved &&
         absl::Now() - cached->last_used < options_.idle_timeout;
}

absl::StatusOr<Session> RedisSessionStore::LoadForUpdate(absl::string_view id) {
  std::optional<SessionCache::Hit> hit = FreshHit(id);
  if (!hit.has_value()) return Load(id);
  if (std::shared_ptr<WriteOutcome> unsaved = std::move(hit->session.pending_write)) {
    // Never build on a write that may still fail (see the class comment).
    // Waiting for it is not needed either: the stored session will do (a
    // race of two answers, which the version check settles), and the
    // thread that saves it may be this one.
    const bool saved = unsaved->done() && unsaved->Wait().ok();
    if (!saved && DeferredWrites::Active()) {
      return DeferredWrites::RunAgain(absl::AbortedError(
          "the session's last answer is not saved; fetch the session and retry"));
    }
    if (!saved) return Load(id);
  }
  hit->session.maybe_stale = true;
  return std::move(hit->session);
}

absl::StatusOr<Session> RedisSessionStore::Load(absl::string_view id) {
  auto reply = redis().Eval(LoadScript(), Key(id),
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
  if (DeferredWrites::Active()) return UpdateLater(session);
  const absl::Status updated =
      UpdateResult(redis().Eval(UpdateScript(), Key(session->id), UpdateArgs(*session)));
  if (!updated.ok()) {
    cache_.Erase(session->id);  // gone, moved on by another request, or unknown
    return updated;
  }
  ++session->version;
  session->maybe_stale = false;
  Remember(*session);
  return absl::OkStatus();
}

absl::Status RedisSessionStore::UpdateLater(Session* session) {
  const bool maybe_stale = session->maybe_stale;
  auto outcome = std::make_shared<WriteOutcome>(/*may_run_again=*/maybe_stale);
  std::vector<std::string> args = UpdateArgs(*session);
  ++session->version;
  session->maybe_stale = false;
  session->pending_write = outcome;
  // Cached first: the reply may come before Remember() would return.
  Remember(*session);
  pipeline_.SubmitScript(
      UpdateScript(), Key(session->id), args,
      [this, outcome, maybe_stale, id = session->id](absl::StatusOr<RedisReply> reply) {
        absl::Status updated = UpdateResult(reply);
        if (!updated.ok()) cache_.Erase(id);
        // A stale copy's answer runs again on the stored session: nothing
        // of it was saved or counted.
        if (absl::IsAborted(updated) && maybe_stale) {
          updated = DeferredWrites::RunAgain(std::move(updated));
        }
        outcome->Complete(std::move(updated));
      });
  return DeferredWrites::Await(std::move(outcome));
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
