// The Telegram bridge: intake (telegram_intake.h) puts updates into the
// durable inbox by long polling or by webhook; one worker thread takes
// them oldest first, parses each once, has it handled
// (telegram_handler.h), and sends the resulting calls from the durable
// outbox (telegram_sender.h).
//
// The single worker is what several guarantees rest on; a second worker
// on the same state file would break each of them:
//  - updates are handled in the order Telegram sent them (the inbox is
//    read oldest first, by the worker alone);
//  - a chat's Telegram row (telegram_chats.h) is written by the worker
//    alone, so the handler reads it once at the start of an update and
//    writes it without a lock of its own; intake only reads it, and the
//    /admin/forget thread only deletes it (ChatStore::Forget);
//  - the outbox is sent one call at a time before the next update is
//    handled, so a question's keyboard message id is recorded before a
//    press on it is handled, and no call overtakes an earlier one.
// ChatConversations' per-chat locks do not cover Telegram's row.
#ifndef BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_BRIDGE_H_
#define BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_BRIDGE_H_

#include <string>
#include <thread>

#include "absl/status/status.h"
#include "client/bots/telegram/pacer.h"
#include "client/bots/telegram/telegram_chats.h"
#include "client/bots/telegram/telegram_handler.h"
#include "client/bots/telegram/telegram_intake.h"
#include "client/bots/telegram/telegram_options.h"
#include "client/bots/telegram/telegram_queue.h"
#include "client/chat/check_ins.h"
#include "service/common/http/http_message.h"

namespace backchat::telegram {

class TelegramBridge {
 public:
  // Messages go through `check_ins` (safety netting), which passes the
  // rest on to its conversations. Does not own its collaborators.
  TelegramBridge(chat::CheckIns* check_ins, TelegramQueue* queue, TelegramChats* chats,
                 TelegramOptions options);
  ~TelegramBridge();  // Stop()

  // Starts the worker (handles the inbox, sends the outbox).
  void Start();
  // Long polling (TelegramIntake::StartPolling).
  void StartPolling() { intake_.StartPolling(); }
  // Webhook mode (TelegramIntake::RegisterWebhook, HandleWebhook).
  absl::Status RegisterWebhook(const std::string& public_url) {
    return intake_.RegisterWebhook(public_url);
  }
  void HandleWebhook(const http::HttpRequest& request, http::HttpResponse* response) {
    intake_.HandleWebhook(request, response);
  }

  // Stops polling and the worker; what is queued stays for the next start.
  void Stop();

 private:
  void WorkLoop();
  // Parses, handles and finishes (or postpones) `update`; false if it
  // failed and the worker should back off.
  bool HandleOne(const InboxUpdate& update);

  TelegramQueue* queue_;
  const TelegramOptions options_;
  Pacer pacer_;
  TelegramIntake intake_;
  TelegramHandler handler_;
  TelegramChats* chats_;
  std::thread worker_;
};

}  // namespace backchat::telegram

#endif  // BACKCHAT_CLIENT_BOTS_TELEGRAM_TELEGRAM_BRIDGE_H_
