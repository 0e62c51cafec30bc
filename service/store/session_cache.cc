#include "service/store/session_cache.h"

#include <algorithm>
#include <vector>

namespace backchat::store {

std::optional<SessionCache::Hit> SessionCache::Find(absl::string_view id) const {
  Entry entry;
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return std::nullopt;
    entry = it->second;
  }
  return Hit{*entry.session, entry.last_used};
}

std::optional<SessionCache::Stamp> SessionCache::Peek(absl::string_view id) const {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  const Session& session = *it->second.session;
  return Stamp{session.version, it->second.last_used,
               session.pending_write != nullptr && !session.pending_write->done()};
}

void SessionCache::Put(Session session, absl::Time last_used) {
  if (capacity_ == 0) return;
  auto copy = std::make_shared<const Session>(std::move(session));
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = entries_.try_emplace(copy->id);
  // A copy older than the cached one (a late reader's) is dropped.
  if (!inserted && it->second.session->version > copy->version) return;
  it->second.session.swap(copy);
  it->second.last_used = std::max(it->second.last_used, last_used);
  if (inserted && entries_.size() > capacity_) MakeRoom();
  // `copy`, now the replaced entry, is freed after `lock` is released.
}

void SessionCache::MakeRoom() {
  std::vector<absl::Time> used;
  used.reserve(entries_.size());
  for (const auto& [id, entry] : entries_) used.push_back(entry.last_used);
  const size_t drop = std::max<size_t>(1, entries_.size() / 8);
  std::nth_element(used.begin(), used.begin() + static_cast<std::ptrdiff_t>(drop - 1), used.end());
  const absl::Time cutoff = used[drop - 1];
  absl::erase_if(entries_, [&](const auto& item) { return item.second.last_used <= cutoff; });
}

void SessionCache::Erase(absl::string_view id) {
  absl::MutexLock lock(&mu_);
  if (auto it = entries_.find(id); it != entries_.end()) entries_.erase(it);
}

void SessionCache::EraseUsedBefore(absl::Time cutoff) {
  absl::MutexLock lock(&mu_);
  absl::erase_if(entries_, [&](const auto& item) { return item.second.last_used < cutoff; });
}

void SessionCache::Clear() {
  absl::MutexLock lock(&mu_);
  entries_.clear();
}

size_t SessionCache::size() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace backchat::store
