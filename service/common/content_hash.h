// A stable content hash for versions and ETags: 64-bit FNV-1a, the same in
// every process and on every machine (absl::Hash is seeded per process).
#ifndef BACKCHAT_SERVICE_COMMON_CONTENT_HASH_H_
#define BACKCHAT_SERVICE_COMMON_CONTENT_HASH_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace backchat::engine {

inline constexpr uint64_t kContentHashSeed = 1469598103934665603ULL;

// Folds `bytes` into `hash`; start from kContentHashSeed.
inline uint64_t ExtendContentHash(uint64_t hash, absl::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

// 16 lower-case hex digits.
inline std::string ContentHashHex(uint64_t hash) {
  return absl::StrFormat("%016x", hash);
}

}  // namespace backchat::engine

#endif  // BACKCHAT_SERVICE_COMMON_CONTENT_HASH_H_
