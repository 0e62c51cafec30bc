// Secrets of the chat bridges: reading them from files, comparing them
// without leaking timing, and hashing user identifiers with a secret key.
#ifndef BACKCHAT_CLIENT_CHAT_SECRETS_H_
#define BACKCHAT_CLIENT_CHAT_SECRETS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backchat::chat {

// The file's contents without trailing blanks or newlines. Secrets live in
// files, not flags, so they stay out of `ps` and shell history.
// INVALID_ARGUMENT naming `what` and the path if the file is missing or
// holds less than `min_bytes`.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path,
                                           absl::string_view what,
                                           size_t min_bytes = 1);

// Equal contents, in time that depends only on the lengths.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

// HMAC-SHA256 of `value` under `key`, as 64 hex digits: how the bridges
// store a phone number or a platform's user id. Without the key, which is
// kept apart from the state file, a stolen state file does not give the
// numbers back (there are few enough numbers to try them all against an
// unkeyed hash).
std::string KeyedHash(absl::string_view key, absl::string_view value);

}  // namespace backchat::chat

#endif  // BACKCHAT_CLIENT_CHAT_SECRETS_H_
