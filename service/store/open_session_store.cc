#include "service/store/open_session_store.h"

#include "absl/strings/str_cat.h"
#include "service/store/memory_session_store.h"
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
  return absl::InvalidArgumentError(absl::StrCat(
      "--store=", config.kind, " is not a store; use sqlite or memory"));
}

std::string DescribeStore(const StoreConfig& config) {
  if (config.kind == "sqlite") {
    return absl::StrCat("SQLite sessions in ", config.sqlite_path, " (synchronous=",
                        config.sqlite_synchronous_full ? "FULL" : "NORMAL", ")");
  }
  return absl::StrCat(config.kind, " sessions");
}

}  // namespace backchat::store
