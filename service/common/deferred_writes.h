// Writes that a call does not wait for. A front end opens a DeferredWrites
// scope around a call and answers the call once its writes are saved, from
// the thread that saved them: no thread waits for a disk meanwhile, and a
// store can save the writes of many calls in one transaction.
//
// A store that can defer (SQLite) hands each write's WriteOutcome to
// DeferredWrites::Await(): inside a scope that returns at once; outside
// one (tests, tools, admin calls) it waits for the outcome, so code that
// never opens a scope keeps the plain "returns once saved" contract.
#ifndef BACKCHAT_SERVICE_COMMON_DEFERRED_WRITES_H_
#define BACKCHAT_SERVICE_COMMON_DEFERRED_WRITES_H_

#include <memory>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace backchat {

// Whether one write was saved: OK, or why not. Known once; thread-safe.
class WriteOutcome {
 public:
  // Sets the outcome (once) and runs what waits for it, on this thread.
  void Complete(absl::Status status);
  bool done() const;
  // Blocks until the outcome is known.
  absl::Status Wait() const;
  // Runs `then` with the outcome: at once if it is known, else on the
  // thread that completes it.
  void WhenDone(absl::AnyInvocable<void(const absl::Status&)> then);

 private:
  mutable absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  std::vector<absl::AnyInvocable<void(const absl::Status&)>> waiting_ ABSL_GUARDED_BY(mu_);
};

// The writes of one call on this thread. Scopes do not nest.
class DeferredWrites {
 public:
  DeferredWrites();
  // Closes the scope if WhenSaved() did not.
  ~DeferredWrites();
  DeferredWrites(const DeferredWrites&) = delete;
  DeferredWrites& operator=(const DeferredWrites&) = delete;

  // For stores: inside a scope, keeps `outcome` for the call and returns OK
  // (the caller goes on as if saved; the call's answer waits). Outside
  // one, waits for it and returns it. Also for a read of data whose write
  // is not saved yet: the answer showing it waits for that write.
  static absl::Status Await(std::shared_ptr<WriteOutcome> outcome);

  // Closes the scope, then runs `then` once every kept write is saved:
  // with OK, or with the first failure. At once, on this thread, if none
  // is pending; else on the thread that saves the last one.
  void WhenSaved(absl::AnyInvocable<void(absl::Status)> then) &&;

 private:
  void Close();
  std::vector<std::shared_ptr<WriteOutcome>> outcomes_;
  bool open_ = true;
};

}  // namespace backchat

#endif  // BACKCHAT_SERVICE_COMMON_DEFERRED_WRITES_H_
