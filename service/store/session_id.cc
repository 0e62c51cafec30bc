#include "service/store/session_id.h"

#include <sys/random.h>

#include <cerrno>

#include "absl/strings/escaping.h"

namespace backchat::store {

absl::StatusOr<std::string> NewSessionId() {
  unsigned char bytes[16];
  size_t filled = 0;
  while (filled < sizeof(bytes)) {
    const ssize_t n = getrandom(bytes + filled, sizeof(bytes) - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError("cannot read random bytes for a session id");
    }
    filled += static_cast<size_t>(n);
  }
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

bool IsWellFormedSessionId(absl::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace backchat::store
