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

void DeferredWrites::WhenKeptSaved(absl::AnyInvocable<void(absl::Status)> then) {
  if (current_scope == nullptr) return then(absl::OkStatus());
  Join(current_scope->outcomes_, std::move(then));
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
  Join(std::move(outcomes_), std::move(then));
  outcomes_.clear();
}

void DeferredWrites::Join(std::vector<std::shared_ptr<WriteOutcome>> outcomes,
                          absl::AnyInvocable<void(absl::Status)> then) {
  // Already known outcomes need no wait.
  absl::Status failed;
  std::vector<std::shared_ptr<WriteOutcome>> pending;
  for (auto& outcome : outcomes) {
    if (!outcome->done()) {
      pending.push_back(std::move(outcome));
    } else if (absl::Status status = outcome->Wait(); !status.ok() && failed.ok()) {
      failed = std::move(status);
    }
  }
  if (pending.empty()) return then(std::move(failed));
  // The last outcome to arrive runs `then`.
  struct Joined {
    absl::Mutex mu;
    absl::Status first_failure ABSL_GUARDED_BY(mu);
    std::atomic<size_t> left;
    absl::AnyInvocable<void(absl::Status)> then;
  };
  auto joined = std::make_shared<Joined>();
  joined->first_failure = std::move(failed);
  joined->left = pending.size();
  joined->then = std::move(then);
  for (auto& outcome : pending) {
    outcome->WhenDone([joined](const absl::Status& status) {
      if (!status.ok()) {
        absl::MutexLock lock(&joined->mu);
        if (joined->first_failure.ok()) joined->first_failure = status;
      }
      if (joined->left.fetch_sub(1) != 1) return;
      absl::Status result;
      {
        absl::MutexLock lock(&joined->mu);
        result = joined->first_failure;
      }
      joined->then(std::move(result));
    });
  }
}

}  // namespace backchat
