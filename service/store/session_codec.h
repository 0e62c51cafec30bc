// Turns sessions into bytes for durable stores and back.
#ifndef BACKCHAT_SERVICE_STORE_SESSION_CODEC_H_
#define BACKCHAT_SERVICE_STORE_SESSION_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "service/dialog_tools/dialog_registry.h"
#include "service/store/session.h"

namespace backchat::store {

// Thread-safe; does not own the registry.
class SessionCodec {
 public:
  explicit SessionCodec(const engine::DialogRegistry* dialogs) : dialogs_(dialogs) {}

  // A backchat.store.v1.StoredSession. Answers are kept by ids. The store
  // keeps `version` itself.
  std::string Encode(const Session& session) const;

  // The session, on the compiled dialog it started with if this process
  // has it, else on the dialog's current version with the answers mapped
  // by id (after a restart with an edited dialog). Errors: DATA_LOSS for
  // bytes that are not a stored session; FAILED_PRECONDITION, saying to
  // start again, when its dialog is gone or no longer has one of its
  // questions or options.
  absl::StatusOr<Session> Decode(absl::string_view bytes, uint64_t version) const;

 private:
  const engine::DialogRegistry* dialogs_;
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_SESSION_CODEC_H_
