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
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace backchat {

// Whether one write was saved: OK, or why not. Known once; thread-safe.
class WriteOutcome {
 public:
  // `may_run_again`: the write may fail marked DeferredWrites::RunAgain.
  explicit WriteOutcome(bool may_run_again = false) : may_run_again_(may_run_again) {}
  bool may_run_again() const { return may_run_again_; }
  // Sets the outcome (once) and runs what waits for it, on this thread.
  void Complete(absl::Status status);
  bool done() const;
  // Blocks until the outcome is known.
  absl::Status Wait() const;
  // Runs `then` with the outcome: at once if it is known, else on the
  // thread that completes it.
  void WhenDone(absl::AnyInvocable<void(const absl::Status&)> then);

 private:
  const bool may_run_again_;
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

  // Whether this thread is inside a scope: its writes are not waited for.
  static bool Active();

  // For a store whose write must follow the call's earlier ones, all or
  // nothing (a triage record after its answer, where the two are not saved
  // in one transaction): runs `then` once every write kept so far in this
  // scope is saved, with OK or the first failure, on the thread that saved
  // the last one (at once outside a scope, where all were waited for).
  static void WhenKeptSaved(absl::AnyInvocable<void(absl::Status)> then);

  // What a call does once its writes are saved, and never if one fails
  // (counting a turn for metrics and the dashboard): a count of an answer
  // that was not saved would be wrong, and one whose call runs again
  // (below) would count twice. Runs `effect` at once when no write of the
  // call is pending (outside a scope, or a store that saved already), else
  // just before the call is answered, on the thread that saved.
  template <typename Effect>
  static void AfterSaved(Effect&& effect) {
    if (current() == nullptr || current()->outcomes_.empty()) {
      std::forward<Effect>(effect)();
    } else {
      current()->effects_.emplace_back(std::forward<Effect>(effect));
    }
  }

  // A call inside a scope that cannot finish without waiting for a store
  // (its copy of a session turned out out of date, or its last write is
  // not saved yet) fails with `status` marked
  // by RunAgain(): its front end then runs it once more outside a scope,
  // on a thread that may wait (the store's workers), where it reads the
  // stored data. Nothing of the first run was saved or counted. Where no
  // front end runs it again, the client gets `status` as it is.
  static absl::Status RunAgain(absl::Status status);
  static bool IsRunAgain(const absl::Status& status);
  // Whether a write kept so far may fail marked RunAgain: else a front
  // end need not keep what a second run would need.
  bool MayRunAgain() const;

  // Closes the scope, then runs `then` once every kept write is saved:
  // with OK, or with the first failure. At once, on this thread, if none
  // is pending; else on the thread that saves the last one.
  void WhenSaved(absl::AnyInvocable<void(absl::Status)> then) &&;

 private:
  // Runs `then` once all `outcomes` are known, with OK or the first failure.
  static void Join(std::vector<std::shared_ptr<WriteOutcome>> outcomes,
                   absl::AnyInvocable<void(absl::Status)> then);
  static DeferredWrites* current();
  void Close();
  std::vector<std::shared_ptr<WriteOutcome>> outcomes_;
  std::vector<absl::AnyInvocable<void()>> effects_;
  bool open_ = true;
};

}  // namespace backchat

#endif  // BACKCHAT_SERVICE_COMMON_DEFERRED_WRITES_H_
