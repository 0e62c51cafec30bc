// Per-client abuse limits: a token bucket of calls per client address,
// and a cap on conversations started per client per minute. A client is
// its IP address (behind a proxy: the proxy's, so put limits there too).
#ifndef BACKCHAT_SERVICE_SECURITY_CLIENT_LIMITS_H_
#define BACKCHAT_SERVICE_SECURITY_CLIENT_LIMITS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace backchat::security {

struct ClientLimitOptions {
  double calls_per_second = 20;  // refill rate; <= 0 turns the limits off
  double burst = 40;             // bucket size
  int sessions_per_minute = 30;  // conversations started; <= 0: no cap
  // Clients remembered at once; beyond this the quietest are forgotten.
  size_t max_clients = 100000;
  // Addresses never limited: the chat bridges, which carry many people's
  // conversations from one address.
  std::vector<std::string> exempt = {};
};

struct Admission {
  bool allowed = true;
  absl::Duration retry_after = absl::ZeroDuration();  // when refused
  const char* reason = "";                            // when refused
};

// Thread-safe.
class ClientLimiter {
 public:
  explicit ClientLimiter(ClientLimitOptions options) : options_(options) {}

  // One call from `client` (an address from ClientAddress), which starts a
  // conversation if `starts_session`.
  Admission Admit(absl::string_view client, bool starts_session, absl::Time now = absl::Now());

  size_t clients() const;

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time refilled;
    absl::Time window_start;  // of the sessions-per-minute count
    int sessions = 0;
  };
  void ForgetQuietClients(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const ClientLimitOptions options_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

// The address part of a peer as gRPC ("ipv4:1.2.3.4:5678",
// "ipv6:[::1]:5678") or the HTTP server ("1.2.3.4:5678", "[::1]:5678")
// write it: "1.2.3.4", "::1".
std::string ClientAddress(absl::string_view peer);

}  // namespace backchat::security

#endif  // BACKCHAT_SERVICE_SECURITY_CLIENT_LIMITS_H_
