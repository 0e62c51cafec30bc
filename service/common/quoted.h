// A client's value quoted in an error message, cut to at most 100 bytes (at
// a UTF-8 character boundary) with its full length said. An error repeats a
// bad field so the sender can find it; repeating it whole would let an
// 8,000-byte field turn the error into one that breaks gRPC's header limit.
#ifndef BACKCHAT_SERVICE_COMMON_QUOTED_H_
#define BACKCHAT_SERVICE_COMMON_QUOTED_H_

#include <cstddef>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace backchat {

inline constexpr size_t kMaxQuotedBytes = 100;

inline std::string Quoted(absl::string_view value) {
  if (value.size() <= kMaxQuotedBytes) return absl::StrCat("\"", value, "\"");
  size_t cut = kMaxQuotedBytes;
  // Not inside a character: back off over UTF-8 continuation bytes.
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return absl::StrCat("\"", value.substr(0, cut), "...\" (", value.size(), " bytes)");
}

}  // namespace backchat

#endif  // BACKCHAT_SERVICE_COMMON_QUOTED_H_
