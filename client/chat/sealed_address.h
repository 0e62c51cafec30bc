// A person's address (a phone number, a platform's user id), sealed so
// that the state file can hold it for a check-in without holding it in
// the clear: AES-256-GCM under a key derived from the bridge's secret
// (--phone_key_file, --user_key_file), which is kept apart from the file.
#ifndef BACKCHAT_CLIENT_CHAT_SEALED_ADDRESS_H_
#define BACKCHAT_CLIENT_CHAT_SEALED_ADDRESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backchat::chat {

// Hex of a random nonce, the ciphertext and its tag. INTERNAL if OpenSSL
// fails (no randomness).
absl::StatusOr<std::string> SealAddress(absl::string_view secret, absl::string_view address);
// The address again; INVALID_ARGUMENT if `sealed` was not sealed under
// `secret` (another key, or altered).
absl::StatusOr<std::string> OpenAddress(absl::string_view secret, absl::string_view sealed);

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_SEALED_ADDRESS_H_
