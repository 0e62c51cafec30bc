// Builds the session store a server is configured for.
#ifndef BACKCHAT_SERVICE_STORE_OPEN_SESSION_STORE_H_
#define BACKCHAT_SERVICE_STORE_OPEN_SESSION_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/store/session_codec.h"
#include "service/store/session_store.h"

namespace backchat::store {

struct StoreConfig {
  // "sqlite" (default), "memory", "redis".
  std::string kind = "sqlite";
  std::string sqlite_path = "backchat.db";
  bool sqlite_synchronous_full = false;
  // host:port of Redis, and its database number (dedicated to BackChat).
  std::string redis_address = "127.0.0.1:6379";
  int redis_database = 0;
  absl::Duration idle_timeout = absl::Minutes(30);
  size_t max_sessions = 100000;
};

// INVALID_ARGUMENT for an unknown kind; otherwise the store's own errors
// (UNAVAILABLE when it cannot be opened). Does not own `codec`, which the
// durable stores use.
absl::StatusOr<std::unique_ptr<SessionStore>> OpenSessionStore(
    const StoreConfig& config, const SessionCodec* codec);

// A line for the log: which store, where.
std::string DescribeStore(const StoreConfig& config);

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_OPEN_SESSION_STORE_H_
