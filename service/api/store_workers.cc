#include "service/api/store_workers.h"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace backchat::api {

class StoreWorkers::Pool {
 public:
  explicit Pool(int threads) : pool_(static_cast<size_t>(threads)) {}
  ~Pool() { pool_.join(); }
  void Join() { pool_.join(); }
  void Post(absl::AnyInvocable<void()> work) {
    boost::asio::post(pool_, [work = std::move(work)]() mutable { work(); });
  }

 private:
  boost::asio::thread_pool pool_;
};

StoreWorkers::StoreWorkers(int threads) {
  if (threads > 0) pool_ = std::make_unique<Pool>(threads);
}

StoreWorkers::~StoreWorkers() = default;

void StoreWorkers::Drain() {
  if (pool_ == nullptr) return;
  {
    absl::MutexLock lock(&mu_);
    drained_ = true;
  }
  // Work handed over before that still runs: join() waits for it.
  pool_->Join();
}

void StoreWorkers::Run(absl::AnyInvocable<void()> work) {
  if (pool_ != nullptr) {
    absl::MutexLock lock(&mu_);
    if (!drained_) return pool_->Post(std::move(work));
  }
  work();
}

}  // namespace backchat::api
