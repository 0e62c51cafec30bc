// Intake: updates from Telegram into the durable inbox (telegram_queue.h),
// by long polling (getUpdates in a thread of its own) or by the webhook
// (setWebhook, then Telegram's POSTs). Each update is parsed once here, to
// check it and to find its chat; the chat's question at that moment is
// stored with it (ChatConversations::HandleMessage's shown_question_id),
// read from Telegram's own row (telegram_chats.h).
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_INTAKE_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_INTAKE_H_

#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "client/bots/telegram/bot_api.pb.h"
#include "client/bots/telegram/pacer.h"
#include "client/bots/telegram/telegram_chats.h"
#include "client/bots/telegram/telegram_options.h"
#include "client/bots/telegram/telegram_queue.h"
#include "service/common/http/http_message.h"

namespace backchat::telegram {

class TelegramIntake {
 public:
  // Does not own its collaborators; `pacer` is told when updates arrive.
  TelegramIntake(TelegramQueue* queue, TelegramChats* chats, const TelegramOptions& options,
                 Pacer* pacer)
      : queue_(queue), chats_(chats), options_(options), pacer_(pacer) {}
  ~TelegramIntake() { Join(); }

  // Waits for the polling thread, if any, to end (call Pacer::Stop first).
  void Join();

  // Long polling: deletes any webhook, then polls getUpdates in a thread
  // until the pacer stops.
  void StartPolling();
  // Webhook mode: tells Telegram where to post updates, with the secret;
  // retries transient failures until it succeeds or the pacer stops.
  absl::Status RegisterWebhook(const std::string& public_url);
  // The webhook: POST webhook_path with an update. 200 once the update is
  // in the inbox; 401 without the right secret header; 400 for a body that
  // is not an update; 404/405 for the wrong path or method; 500 if the
  // state file failed (Telegram sends it again).
  void HandleWebhook(const http::HttpRequest& request, http::HttpResponse* response);

 private:
  struct Received {
    std::string json;  // as Telegram sent it, for the inbox
    Update update;     // parsed from it
  };
  // Adds `updates` to the inbox and moves the offset to `next_offset`.
  absl::Status Receive(const std::vector<Received>& updates, int64_t next_offset);
  void PollLoop();

  TelegramQueue* queue_;
  TelegramChats* chats_;
  const TelegramOptions options_;
  Pacer* pacer_;
  std::thread poller_;
};

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_INTAKE_H_
