// The Telegram bridge's log lines: one program name for all its parts.
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_LOG_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_LOG_H_

#include "absl/strings/string_view.h"
#include "service/common/log_line.h"

namespace backchat::telegram {

// "backchat_telegram: <message>" on stderr (see LogLine).
inline void Log(absl::string_view message) { LogLine("backchat_telegram", message); }

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_LOG_H_
