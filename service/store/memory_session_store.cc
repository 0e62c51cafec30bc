#include "service/store/memory_session_store.h"

#include "absl/strings/str_cat.h"

namespace backchat::store {

MemorySessionStore::MemorySessionStore(MemoryStoreOptions options)
    : options_(std::move(options)) {}

MemorySessionStore::Map::iterator MemorySessionStore::FindLive(
    absl::string_view id, absl::Time now) {
  auto it = sessions_.find(id);
  if (it != sessions_.end() &&
      now - it->second.last_used > options_.idle_timeout) {
    Erase(it);
    return sessions_.end();
  }
  return it;
}

void MemorySessionStore::Touch(Entry& entry, absl::Time now) {
  entry.last_used = now;
  idle_order_.splice(idle_order_.end(), idle_order_, entry.idle_position);
}

void MemorySessionStore::Erase(Map::iterator it) {
  idle_order_.erase(it->second.idle_position);
  sessions_.erase(it);
}

absl::Status MemorySessionStore::Create(const Session& session) {
  const absl::Time now = options_.clock();
  absl::MutexLock lock(&mu_);
  if (sessions_.contains(session.id)) {
    return absl::AlreadyExistsError(
        absl::StrCat("session ", session.id, " already exists"));
  }
  while (!idle_order_.empty() && sessions_.size() >= options_.max_sessions) {
    Erase(sessions_.find(idle_order_.front()));
  }
  if (options_.max_sessions == 0) {
    return absl::ResourceExhaustedError("the session store holds no sessions");
  }
  idle_order_.push_back(session.id);
  sessions_.emplace(session.id,
                    Entry{session, now, std::prev(idle_order_.end())});
  return absl::OkStatus();
}

absl::StatusOr<Session> MemorySessionStore::Load(absl::string_view id) {
  const absl::Time now = options_.clock();
  absl::MutexLock lock(&mu_);
  auto it = FindLive(id, now);
  if (it == sessions_.end()) return SessionNotFound();
  Touch(it->second, now);
  return it->second.session;
}

absl::Status MemorySessionStore::Update(Session* session) {
  const absl::Time now = options_.clock();
  absl::MutexLock lock(&mu_);
  auto it = FindLive(session->id, now);
  if (it == sessions_.end()) return SessionNotFound();
  if (it->second.session.version != session->version) {
    return absl::AbortedError(
        "the session was changed by another request; fetch the session and "
        "retry");
  }
  ++session->version;
  it->second.session = *session;
  Touch(it->second, now);
  return absl::OkStatus();
}

absl::Status MemorySessionStore::Delete(absl::string_view id) {
  absl::MutexLock lock(&mu_);
  auto it = FindLive(id, options_.clock());
  if (it == sessions_.end()) return SessionNotFound();
  Erase(it);
  return absl::OkStatus();
}

size_t MemorySessionStore::size() const {
  absl::MutexLock lock(&mu_);
  return sessions_.size();
}

}  // namespace backchat::store
