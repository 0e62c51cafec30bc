#include "service/store/open_session_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/numbers.h"
#include "service/store/memory_session_store.h"
#include "service/store/redis_session_store.h"
#include "service/store/sqlite_session_store.h"

namespace backchat::store {

absl::StatusOr<std::unique_ptr<SessionStore>> OpenSessionStore(
    const StoreConfig& config, const SessionCodec* codec) {
  if (config.kind == "memory") {
    MemoryStoreOptions options;
    options.idle_timeout = config.idle_timeout;
    options.max_sessions = config.max_sessions;
    return std::make_unique<MemorySessionStore>(options);
  }
  if (config.kind == "sqlite") {
    SqliteStoreOptions options;
    options.path = config.sqlite_path;
    options.synchronous_full = config.sqlite_synchronous_full;
    options.idle_timeout = config.idle_timeout;
    options.max_sessions = config.max_sessions;
    auto store = SqliteSessionStore::Open(options, codec);
    if (!store.ok()) return store.status();
    return std::unique_ptr<SessionStore>(*std::move(store));
  }
  if (config.kind == "redis") {
    RedisStoreOptions options;
    const size_t colon = config.redis_address.rfind(':');
    if (colon == std::string::npos ||
        !absl::SimpleAtoi(config.redis_address.substr(colon + 1), &options.port)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--redis_address=", config.redis_address, " is not host:port"));
    }
    options.host = config.redis_address.substr(0, colon);
    options.database = config.redis_database;
    options.idle_timeout = config.idle_timeout;
    options.max_sessions = config.max_sessions;
    auto store = RedisSessionStore::Open(options, codec);
    if (!store.ok()) return store.status();
    return std::unique_ptr<SessionStore>(*std::move(store));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--store=", config.kind, " is not a store; use sqlite, memory or redis"));
}

std::string DescribeStore(const StoreConfig& config) {
  if (config.kind == "sqlite") {
    return absl::StrCat("SQLite sessions in ", config.sqlite_path, " (synchronous=",
                        config.sqlite_synchronous_full ? "FULL" : "NORMAL", ")");
  }
  if (config.kind == "redis") {
    return absl::StrCat("Redis sessions at ", config.redis_address, " database ",
                        config.redis_database);
  }
  return absl::StrCat(config.kind, " sessions");
}

}  // namespace backchat::store
