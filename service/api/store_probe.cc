#include "service/api/store_probe.h"
#include "service/common/log_line.h"


namespace backchat::api {

StoreProbe::StoreProbe(store::SessionStore* sessions, BackchatServer* server,
                       std::atomic<bool>* healthy, absl::Duration interval)
    : sessions_(sessions), server_(server), healthy_(healthy) {
  ProbeOnce();
  thread_ = std::thread([this, interval] {
    while (!stop_.WaitForNotificationWithTimeout(interval)) ProbeOnce();
  });
}

void StoreProbe::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void StoreProbe::ProbeOnce() {
  const absl::Status status = sessions_->Ping();
  const bool was = healthy_->exchange(status.ok());
  server_->SetServing(status.ok());
  if (was != status.ok()) {
    LogLine("backchat_server", status.ok()
                                   ? std::string("the session store answers again: SERVING")
                                   : absl::StrCat("health: NOT_SERVING: ", status.message()));
  }
}

}  // namespace backchat::api
