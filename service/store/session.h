// A conversation as the store keeps it.
#ifndef BACKCHAT_SERVICE_STORE_SESSION_H_
#define BACKCHAT_SERVICE_STORE_SESSION_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/time/time.h"
#include "backchat/triage/v1/types.pb.h"
#include "service/common/deferred_writes.h"
#include "service/engine/compiled_dialog.h"
#include "service/engine/engine.h"

namespace backchat::store {

struct Session {
  // 32 lower-case hex digits: 128 random bits.
  std::string id;
  // The dialog the session started with, in its language (dialog->locale);
  // kept for the whole conversation.
  std::shared_ptr<const engine::CompiledDialog> dialog;
  // The requested language was not available.
  bool locale_fallback = false;
  // The locale the client asked for, as given ("es-MX"; empty for none):
  // more precise than the dialog's language, it chooses the care contacts.
  std::string requested_locale;
  triage::v1::Channel channel = triage::v1::CHANNEL_UNSPECIFIED;
  engine::SessionState state;
  // A typed answer's reading that waits for the person's yes
  // (Turn.confirmation): the question's index and the options; -1 and 0
  // when none. Kept with the session so that any channel, and a reload,
  // shows the same proposal.
  int pending_question = -1;
  engine::OptionMask pending_options = 0;
  absl::Time created;
  absl::Time updated;
  // Incremented by every successful SessionStore::Update.
  uint64_t version = 0;
  // Set by SessionStore::LoadForUpdate on a copy from this process's
  // memory that the store cannot promise is current. Not stored.
  bool maybe_stale = false;
  // Set on a copy whose last write a store has taken but not yet saved
  // (see common/deferred_writes.h): an answer showing it waits for that
  // write. Not stored.
  std::shared_ptr<WriteOutcome> pending_write;
};

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_SESSION_H_
