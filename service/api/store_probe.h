// Keeps the health service honest: probes the session store now and then
// and reports NOT_SERVING (gRPC health, /healthz 503) while it fails.
#ifndef BACKCHAT_SERVICE_API_STORE_PROBE_H_
#define BACKCHAT_SERVICE_API_STORE_PROBE_H_

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "service/api/server.h"
#include "service/store/session_store.h"

namespace backchat::api {

class StoreProbe {
 public:
  // Probes at once, then every `interval`, until Stop(). Does not own its
  // arguments. Logs each change of state.
  StoreProbe(store::SessionStore* sessions, BackchatServer* server, std::atomic<bool>* healthy,
             absl::Duration interval);
  ~StoreProbe() { Stop(); }
  void Stop();

 private:
  void ProbeOnce();

  store::SessionStore* sessions_;
  BackchatServer* server_;
  std::atomic<bool>* healthy_;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_STORE_PROBE_H_
