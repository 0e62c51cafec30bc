#include "service/security/client_limits.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace backchat::security {

Admission ClientLimiter::Admit(absl::string_view client, bool starts_session, absl::Time now) {
  if (options_.calls_per_second <= 0) return {};
  for (const std::string& exempt : options_.exempt) {
    if (client == exempt) return {};
  }
  absl::MutexLock lock(&mu_);
  if (buckets_.size() >= options_.max_clients) ForgetQuietClients(now);
  auto [it, added] = buckets_.try_emplace(client);
  Bucket& bucket = it->second;
  if (added) {
    bucket.tokens = options_.burst;
    bucket.refilled = now;
    bucket.window_start = now;
  }
  bucket.tokens = std::min(options_.burst,
                           bucket.tokens + absl::ToDoubleSeconds(now - bucket.refilled) *
                                               options_.calls_per_second);
  bucket.refilled = now;
  if (bucket.tokens < 1) {
    const double wait = (1 - bucket.tokens) / options_.calls_per_second;
    return {false, absl::Seconds(std::ceil(wait)), "too many calls from this address"};
  }
  if (starts_session && options_.sessions_per_minute > 0) {
    if (now - bucket.window_start >= absl::Minutes(1)) {
      bucket.window_start = now;
      bucket.sessions = 0;
    }
    if (bucket.sessions >= options_.sessions_per_minute) {
      return {false, absl::Seconds(std::ceil(absl::ToDoubleSeconds(
                         absl::Minutes(1) - (now - bucket.window_start)))),
              "too many conversations started from this address"};
    }
    ++bucket.sessions;
  }
  bucket.tokens -= 1;
  return {};
}

void ClientLimiter::ForgetQuietClients(absl::Time now) {
  // A client whose bucket is full again and whose minute is over has no
  // state worth keeping.
  absl::erase_if(buckets_, [&](const auto& entry) {
    const Bucket& b = entry.second;
    return now - b.window_start >= absl::Minutes(1) &&
           b.tokens + absl::ToDoubleSeconds(now - b.refilled) * options_.calls_per_second >=
               options_.burst;
  });
  // Still full (a flood from many addresses): start afresh rather than grow.
  if (buckets_.size() >= options_.max_clients) buckets_.clear();
}

size_t ClientLimiter::clients() const {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

std::string ClientAddress(absl::string_view peer) {
  absl::ConsumePrefix(&peer, "ipv4:") || absl::ConsumePrefix(&peer, "ipv6:");
  if (absl::ConsumePrefix(&peer, "[")) return std::string(peer.substr(0, peer.find(']')));
  const size_t colon = peer.rfind(':');
  return std::string(colon == absl::string_view::npos ? peer : peer.substr(0, colon));
}

}  // namespace backchat::security
