// API keys for everything that is not a patient conversation (the admin
// RPCs, /metrics): read from a file, several keys each with a name and
// scopes, reloadable while serving, compared in constant time.
//
// The file, one key per line ('#' starts a comment):
//   NAME SCOPE[,SCOPE...] KEY
// e.g. "ops-dashboard metrics 9f3c...". Scopes: dialogs (list, reload),
// records (list, export), privacy (delete sessions and records), metrics,
// reports (the clinic's dashboard), or * for all. A key is at least 24 characters of [A-Za-z0-9_.~+/=-].
#ifndef BACKCHAT_SERVICE_SECURITY_API_KEYS_H_
#define BACKCHAT_SERVICE_SECURITY_API_KEYS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace backchat::security {

struct ApiKey {
  std::string name;
  std::vector<std::string> scopes;
  std::string key;
};

// The keys of one file. INVALID_ARGUMENT naming "path:line" for a line
// that is not NAME SCOPES KEY, an unknown scope, a short key or a repeated
// name.
absl::StatusOr<std::vector<ApiKey>> ParseApiKeys(absl::string_view text,
                                                 absl::string_view path);

// Thread-safe.
class ApiKeyring {
 public:
  // No file: every call is refused, saying how to configure keys.
  ApiKeyring() = default;
  static absl::StatusOr<std::unique_ptr<ApiKeyring>> Load(const std::string& path);
  // Fixed keys, not from a file (tests); Reload() keeps them.
  static std::unique_ptr<ApiKeyring> FromKeys(std::vector<ApiKey> keys);

  // Reads the file again; on error keeps the keys it had.
  absl::Status Reload();

  // `authorization`: the header or metadata value ("Bearer KEY").
  // UNAUTHENTICATED without a valid key, PERMISSION_DENIED for a key
  // without `scope`. On success, the key's name (for the access log).
  absl::StatusOr<std::string> Authorize(absl::string_view authorization,
                                        absl::string_view scope) const;

  size_t size() const;

 private:
  std::string path_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const std::vector<ApiKey>> keys_ ABSL_GUARDED_BY(mu_);
};

}  // namespace backchat::security

#endif  // BACKCHAT_SERVICE_SECURITY_API_KEYS_H_
