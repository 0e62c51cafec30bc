#include "client/bots/telegram/telegram_bridge.h"

#include "absl/strings/str_cat.h"
#include "client/bots/telegram/bot_api_client.h"
#include "client/bots/telegram/telegram_log.h"
#include "client/bots/telegram/telegram_messages.h"
#include "client/bots/telegram/telegram_sender.h"
#include "client/common/triage_rpc.h"

namespace backchat::telegram {

TelegramBridge::TelegramBridge(chat::CheckIns* check_ins, TelegramQueue* queue,
                               TelegramChats* chats, TelegramOptions options)
    : queue_(queue),
      options_(std::move(options)),
      pacer_(options_.first_backoff, options_.max_backoff),
      intake_(queue, chats, options_, &pacer_),
      handler_(check_ins, chats),
      chats_(chats) {}

TelegramBridge::~TelegramBridge() { Stop(); }

void TelegramBridge::Start() {
  worker_ = std::thread([this] { WorkLoop(); });
}

void TelegramBridge::Stop() {
  pacer_.Stop();
  intake_.Join();
  if (worker_.joinable()) worker_.join();
}

bool TelegramBridge::HandleOne(const InboxUpdate& inbox) {
  Update update;
  if (const absl::Status parsed = ParseBotApiJson(inbox.json, &update); !parsed.ok()) {
    Log(absl::StrCat("update ", inbox.update_id, " is not one the bridge reads; skipped: ",
                     parsed.message()));
    update.Clear();  // finished with no calls
  }
  Handled handled = handler_.Handle(update, inbox.shown_question_id);
  absl::Status done;
  if (handled.status.ok()) {
    done = queue_->FinishUpdate(inbox.update_id, handled.calls);
  } else {
    // BackChat unreachable (or the state file failing): keep the update,
    // tell the person once, and try again after a while.
    if (!client::IsUnreachable(handled.status)) Log(handled.status.message());
    std::vector<OutboxCall> calls;
    if (!inbox.told_unavailable && handled.try_again.has_value()) {
      calls.push_back(*std::move(handled.try_again));
    }
    done = queue_->PostponeUpdate(inbox.update_id, calls);
    if (done.ok()) return false;
  }
  if (!done.ok()) {
    Log(done.message());
    return false;
  }
  return true;
}

void TelegramBridge::WorkLoop() {
  // Never abandoned half-way at shutdown (see TelegramSender).
  BotApiClient api(options_.api_base_url, options_.token, /*stop=*/nullptr);
  TelegramSender sender(queue_, chats_, &api, &pacer_);
  int failures = 0;
  while (!pacer_.stopping()) {
    if (!sender.SendOutbox()) {
      pacer_.Sleep(pacer_.NextBackoff(&failures));
      continue;
    }
    absl::StatusOr<std::optional<InboxUpdate>> update = queue_->OldestUpdate();
    if (!update.ok()) {
      Log(update.status().message());
      pacer_.Sleep(pacer_.NextBackoff(&failures));
      continue;
    }
    if (!update->has_value()) {
      pacer_.AwaitWork(absl::Seconds(1));
      continue;
    }
    if (HandleOne(**update)) {
      failures = 0;
    } else {
      pacer_.Sleep(pacer_.NextBackoff(&failures));
    }
  }
}

}  // namespace backchat::telegram
