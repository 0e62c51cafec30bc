#include "service/common/deferred_writes.h"

#include <atomic>
#include <cassert>
#include <utility>

#include "absl/strings/cord.h"

namespace backchat {
namespace {

thread_local DeferredWrites* current_scope = nullptr;

// absl::Status payloads are keyed by a type URL.
constexpr char kRunAgainPayload[] = "type.googleapis.com/backchat.RunAgainOutsideScope";

}  // namespace

void WriteOutcome::Complete(absl::Status status) {
  std::vector<absl::AnyInvocable<void(const absl::Status&)>> waiting;
  {
    absl::MutexLock lock(&mu_);
    assert(!done_);
    done_ = true;
    status_ = std::move(status);
    waiting.swap(waiting_);
  }
  for (auto& then : waiting) then(status_);  // status_ no longer changes
}

bool WriteOutcome::done() const {
  absl::MutexLock lock(&mu_);
  return done_;
}

absl::Status WriteOutcome::Wait() const {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(&done_));
  return status_;
}

void WriteOutcome::WhenDone(absl::AnyInvocable<void(const absl::Status&)> then) {
  {
    absl::MutexLock lock(&mu_);
    if (!done_) {
      waiting_.push_back(std::move(then));
      return;
    }
  }
  then(status_);
}

DeferredWrites* DeferredWrites::current() { return current_scope; }

bool DeferredWrites::Active() { return current_scope != nullptr; }

absl::Status DeferredWrites::RunAgain(absl::Status status) {
  status.SetPayload(kRunAgainPayload, absl::Cord());
  return status;
}

bool DeferredWrites::IsRunAgain(const absl::Status& status) {
  return status.GetPayload(kRunAgainPayload).has_value();
}

bool DeferredWrites::MayRunAgain() const {
  for (const auto& outcome : outcomes_) {
    if (outcome->may_run_again()) return true;
  }
  return false;
}

DeferredWrites::DeferredWrites() {
  assert(current_scope == nullptr);
  current_scope = this;
}

DeferredWrites::~DeferredWrites() { Close(); }

void DeferredWrites::Close() {
  if (open_ && current_scope == this) current_scope = nullptr;
  open_ = false;
}

absl::Status DeferredWrites::Await(std::shared_ptr<WriteOutcome> outcome) {
  if (current_scope == nullptr) return outcome->Wait();
  current_scope->outcomes_.push_back(std::move(outcome));
  return absl::OkStatus();
}

void DeferredWrites::WhenSaved(absl::AnyInvocable<void(absl::Status)> then) && {
  Close();
  if (!effects_.empty()) {
    // The effects run just before the answer, and only if all is saved.
    then = [effects = std::move(effects_),
            then = std::move(then)](absl::Status saved) mutable {
      if (saved.ok()) {
        for (auto& effect : effects) effect();
      }
      then(std::move(saved));
    };
  }
  // Already known outcomes need no wait.
  absl::Status failed;
  std::vector<std::shared_ptr<WriteOutcome>> pending;
  for (auto& outcome : outcomes_) {
    if (!outcome->done()) {
      pending.push_back(std::move(outcome));
    } else if (absl::Status status = outcome->Wait(); !status.ok() && failed.ok()) {
      failed = std::move(status);
    }
  }
  outcomes_.clear();
  if (pending.empty()) return then(std::move(failed));
  // The last outcome to arrive answers the call.
  struct Join {
    absl::Mutex mu;
    absl::Status first_failure ABSL_GUARDED_BY(mu);
    std::atomic<size_t> left;
    absl::AnyInvocable<void(absl::Status)> then;
  };
  auto join = std::make_shared<Join>();
  join->first_failure = std::move(failed);
  join->left = pending.size();
  join->then = std::move(then);
  for (auto& outcome : pending) {
    outcome->WhenDone([join](const absl::Status& status) {
      if (!status.ok()) {
        absl::MutexLock lock(&join->mu);
        if (join->first_failure.ok()) join->first_failure = status;
      }
      if (join->left.fetch_sub(1) != 1) return;
      absl::Status result;
      {
        absl::MutexLock lock(&join->mu);
        result = join->first_failure;
      }
      join->then(std::move(result));
    });
  }
}

}  // namespace backchat
