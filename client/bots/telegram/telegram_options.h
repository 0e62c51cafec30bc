// How the Telegram bridge reaches the Bot API and paces its retries.
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_OPTIONS_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_OPTIONS_H_

#include <string>

#include "absl/time/time.h"

namespace backchat::telegram {

struct TelegramOptions {
  std::string api_base_url = "https://api.telegram.org";
  std::string token;
  absl::Duration poll_timeout = absl::Seconds(25);  // getUpdates' long poll
  // Waits after a failure: first_backoff, doubling up to max_backoff.
  absl::Duration first_backoff = absl::Milliseconds(200);
  absl::Duration max_backoff = absl::Seconds(30);
  // Webhook mode.
  std::string webhook_path = "/telegram";
  std::string webhook_secret;  // X-Telegram-Bot-Api-Secret-Token
};

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_OPTIONS_H_
