// Session ids: the only secret a patient's conversation is guarded by.
#ifndef BACKCHAT_SERVICE_STORE_SESSION_ID_H_
#define BACKCHAT_SERVICE_STORE_SESSION_ID_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backchat::store {

// 128 bits from the kernel's CSPRNG (getrandom), as 32 lower-case hex
// digits. UNAVAILABLE if the kernel cannot supply randomness.
absl::StatusOr<std::string> NewSessionId();

// True for 32 lower-case hex digits.
bool IsWellFormedSessionId(absl::string_view id);

}  // namespace backchat::store

#endif  // BACKCHAT_SERVICE_STORE_SESSION_ID_H_
