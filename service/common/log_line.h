// Log lines from any thread: each line is one write, so lines from
// different threads never interleave and no stream state is shared
// (several threads writing to std::cerr race on its formatting state, as
// ThreadSanitizer showed in the Telegram bridge).
#ifndef BACKCHAT_SERVICE_COMMON_LOG_LINE_H_
#define BACKCHAT_SERVICE_COMMON_LOG_LINE_H_

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace backchat {

// Writes "<program>: <message>\n" to stderr.
inline void LogLine(absl::string_view program, absl::string_view message) {
  const std::string line = absl::StrCat(program, ": ", message, "\n");
  std::fwrite(line.data(), 1, line.size(), stderr);  // stdio locks the FILE per call
}

}  // namespace backchat

#endif  // BACKCHAT_SERVICE_COMMON_LOG_LINE_H_
