// Threads of their own for calls that wait on a session store, so that
// gRPC's callback threads and the HTTP listener's threads never wait on
// I/O: a front end hands the whole call to Run() and finishes the call from
// there. A call the store serves from memory runs where it arrived instead
// (see DispatchTriageCall in triage_rpcs.h), which measured faster than a
// hand-off (see scripts/bench.sh).
#ifndef BACKCHAT_SERVICE_API_STORE_WORKERS_H_
#define BACKCHAT_SERVICE_API_STORE_WORKERS_H_

#include <memory>

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace backchat::api {

class StoreWorkers {
 public:
  // `threads` == 0: Run() calls the work at once, on the caller's thread.
  // They mostly wait (on SQLite's commit or Redis' reply), so a few more
  // than cores pay; many more cost more in thread switches than they gain
  // in bigger group commits (measured: 4 on 2 cores beat 2, 8 and 16).
  explicit StoreWorkers(int threads);
  // Runs the work already handed over, then joins the threads.
  ~StoreWorkers();

  StoreWorkers(const StoreWorkers&) = delete;
  StoreWorkers& operator=(const StoreWorkers&) = delete;

  // Runs `work` on a worker thread (or inline, see above). Thread-safe.
  void Run(absl::AnyInvocable<void()> work);

  // Waits for the work handed over so far, then ends the threads; work
  // handed over later runs at once on the caller's thread (a call that a
  // store's writer asks to run again while the server shuts down). For
  // shutdown, before what the work uses (the front ends, the store) is
  // destroyed.
  void Drain();

 private:
  class Pool;  // boost::asio::thread_pool, kept out of this header
  std::unique_ptr<Pool> pool_;
  // Held to hand work over, so that none is handed to a pool that ended.
  absl::Mutex mu_;
  bool drained_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace backchat::api

#endif  // BACKCHAT_SERVICE_API_STORE_WORKERS_H_
