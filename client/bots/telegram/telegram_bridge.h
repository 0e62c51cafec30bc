// The Telegram bridge: updates arrive by long polling or by webhook into
// the durable inbox; one worker handles them in order through the shared
// chat conversations and sends the replies from the durable outbox,
// honouring flood control (429 retry_after) and retrying server errors
// with backoff.
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_BRIDGE_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_BRIDGE_H_

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "client/bots/telegram/bot_api.pb.h"
#include "client/bots/telegram/bot_api_client.h"
#include "client/bots/telegram/telegram_queue.h"
#include "client/chat/check_ins.h"
#include "service/http/http_message.h"

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

class TelegramBridge {
 public:
  // Messages go through `check_ins` (safety netting), which passes the
  // rest on to its conversations.
  TelegramBridge(chat::CheckIns* check_ins, TelegramQueue* queue, TelegramOptions options);
  ~TelegramBridge();  // Stop()

  // Starts the worker (handles the inbox, sends the outbox).
  void Start();
  // Long polling: deletes any webhook, then polls getUpdates in a thread.
  void StartPolling();
  // Webhook mode: tells Telegram where to post updates, with the secret;
  // retries transient failures until it succeeds or Stop().
  absl::Status RegisterWebhook(const std::string& public_url);
  // The webhook: POST webhook_path with an update. 200 once the update is
  // in the inbox; 401 without the right secret header; 400 for a body that
  // is not an update; 404/405 for the wrong path or method; 500 if the
  // state file failed (Telegram sends it again).
  void HandleWebhook(const http::HttpRequest& request, http::HttpResponse* response);

  // Stops polling and the worker; what is queued stays for the next start.
  void Stop();

 private:
  struct Handled {
    absl::Status status;  // unreachable: keep the update for later
    std::vector<OutboxCall> calls;
  };
  absl::Status Receive(const std::vector<std::pair<int64_t, std::string>>& updates,
                       int64_t next_offset);
  void PollLoop();
  void WorkLoop();
  // Sends the outbox; false if it stopped on a failure worth retrying.
  bool SendOutbox(BotApiClient& api);
  Handled HandleUpdate(const InboxUpdate& update);
  Handled HandleCallback(int64_t chat_id, const CallbackQuery& query);
  std::vector<OutboxCall> ReplyCalls(int64_t chat_id, const chat::ChatReply& reply);
  // After a button press: `answered` (answerCallbackQuery), the pressed
  // message's buttons taken away, then `reply`.
  Handled ButtonReply(int64_t chat_id, int64_t message_id, OutboxCall answered,
                      const chat::ChatReply& reply);
  // Waits `duration` or until Stop(); false if stopping.
  bool Sleep(absl::Duration duration);
  absl::Duration NextBackoff(int* failures) const;

  chat::CheckIns* check_ins_;
  chat::ChatConversations* conversations_;
  TelegramQueue* queue_;
  const TelegramOptions options_;
  std::atomic<bool> stop_{false};
  absl::Mutex mu_;
  bool work_ ABSL_GUARDED_BY(mu_) = false;
  std::thread worker_;
  std::thread poller_;
};

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_BRIDGE_H_
