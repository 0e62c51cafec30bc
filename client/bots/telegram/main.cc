// backchat_telegram: the Telegram bridge, by long polling (default) or by
// webhook.
#include <curl/curl.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/bots/bridge_main.h"
#include "client/bots/telegram/telegram_bridge.h"
#include "client/bots/telegram/telegram_chats.h"
#include "client/bots/telegram/telegram_queue.h"
#include "client/bots/telegram/telegram_sender.h"
#include "client/chat/secrets.h"

ABSL_FLAG(std::string, token_file, "", "File holding the bot's token from @BotFather (required).");
ABSL_FLAG(std::string, api_base_url, "https://api.telegram.org",
          "The Bot API's base URL (tests point it at a fake on loopback).");
ABSL_FLAG(std::string, mode, "poll",
          "poll: long polling with getUpdates (no public address needed); "
          "webhook: Telegram posts updates to --public_url.");
ABSL_FLAG(absl::Duration, poll_timeout, absl::Seconds(25), "getUpdates' long-poll timeout.");
ABSL_FLAG(absl::Duration, max_backoff, absl::Seconds(30),
          "Longest wait between retries after failures.");
ABSL_FLAG(std::string, public_url, "",
          "Webhook mode: the HTTPS URL Telegram posts to, proxied to this "
          "process's --port and --webhook_path.");
ABSL_FLAG(std::string, webhook_secret_file, "",
          "Webhook mode: file holding the secret Telegram sends in "
          "X-Telegram-Bot-Api-Secret-Token (16-256 of A-Z a-z 0-9 _ -).");
ABSL_FLAG(std::string, webhook_path, "/telegram", "Webhook mode: the path served.");
ABSL_FLAG(int, port, 8081,
          "The port served in webhook mode, or for /admin/forget when "
          "--admin_token_file is set (0 picks a free one).");
ABSL_DECLARE_FLAG(std::string, admin_token_file);

namespace {

bool IsValidSecretToken(const std::string& secret) {
  if (secret.size() < 16 || secret.size() > 256) return false;
  for (char c : secret) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string program = "backchat_telegram";
  absl::SetProgramUsageMessage(
      "The Telegram bridge: a bot's chats to BackChat conversations.\n"
      "  backchat_telegram --token_file=... --state_db=data/telegram.db");
  absl::ParseCommandLine(argc, argv);
  const sigset_t signals = backchat::bots::BlockStopSignals();
  curl_global_init(CURL_GLOBAL_DEFAULT);

  backchat::telegram::TelegramOptions options;
  options.api_base_url = absl::GetFlag(FLAGS_api_base_url);
  options.poll_timeout = absl::GetFlag(FLAGS_poll_timeout);
  options.max_backoff = absl::GetFlag(FLAGS_max_backoff);
  options.webhook_path = absl::GetFlag(FLAGS_webhook_path);
  auto token = backchat::chat::ReadSecretFile(absl::GetFlag(FLAGS_token_file), "--token_file");
  if (!token.ok()) return backchat::bots::Fail(program, token.status().message());
  options.token = *token;
  const std::string mode = absl::GetFlag(FLAGS_mode);
  if (mode != "poll" && mode != "webhook") {
    return backchat::bots::Fail(program, "--mode must be poll or webhook, not \"" + mode + "\"");
  }
  if (mode == "webhook") {
    if (absl::GetFlag(FLAGS_public_url).empty()) {
      return backchat::bots::Fail(program, "--mode=webhook needs --public_url");
    }
    auto secret = backchat::chat::ReadSecretFile(absl::GetFlag(FLAGS_webhook_secret_file),
                                                 "--webhook_secret_file");
    if (!secret.ok()) return backchat::bots::Fail(program, secret.status().message());
    if (!IsValidSecretToken(*secret)) {
      return backchat::bots::Fail(
          program, "--webhook_secret_file must hold 16-256 characters of A-Z a-z 0-9 _ -");
    }
    options.webhook_secret = *secret;
  }

  auto bridge = backchat::bots::OpenBridge(backchat::triage::v1::CHANNEL_TELEGRAM, true);
  if (!bridge.ok()) return backchat::bots::Fail(program, bridge.status().message());
  auto queue = backchat::telegram::TelegramQueue::Open(&bridge->store->database());
  if (!queue.ok()) return backchat::bots::Fail(program, queue.status().message());
  auto chats = backchat::telegram::TelegramChats::Open(bridge->store.get());
  if (!chats.ok()) return backchat::bots::Fail(program, chats.status().message());
  // Check-ins are sent from the scheduler's thread, with its own client.
  auto check_in_api = std::make_shared<backchat::telegram::BotApiClient>(
      options.api_base_url, options.token, /*stop=*/nullptr);
  const absl::Status check_ins = backchat::bots::StartCheckIns(
      &*bridge, [check_in_api](const backchat::chat::PendingCheckIn& check_in,
                               const std::string& text) {
        return backchat::telegram::SendCheckIn(*check_in_api, check_in, text);
      });
  if (!check_ins.ok()) return backchat::bots::Fail(program, check_ins.message());
  backchat::telegram::TelegramBridge telegram(bridge->check_ins.get(), queue->get(), chats->get(),
                                              options);
  std::unique_ptr<backchat::http::HttpServer> server;
  // Chats are keyed by Telegram's chat id, as it is.
  auto chat_key_of = [](const std::string& chat_id) { return chat_id; };
  if (mode == "webhook") {
    auto started = backchat::bots::ServeWebhook(
        program, absl::GetFlag(FLAGS_port), *bridge, chat_key_of,
        [&telegram](const backchat::http::HttpRequest& request,
                    backchat::http::HttpResponse* response) {
          telegram.HandleWebhook(request, response);
        });
    if (!started.ok()) return backchat::bots::Fail(program, started.status().message());
    server = *std::move(started);
    const absl::Status registered = telegram.RegisterWebhook(absl::GetFlag(FLAGS_public_url));
    if (!registered.ok()) return backchat::bots::Fail(program, registered.message());
    telegram.Start();
  } else {
    if (!absl::GetFlag(FLAGS_admin_token_file).empty()) {
      // Polling needs no listener; the admin endpoint alone gets one.
      auto started = backchat::bots::ServeWebhook(
          program, absl::GetFlag(FLAGS_port), *bridge, chat_key_of,
          [](const backchat::http::HttpRequest&, backchat::http::HttpResponse* response) {
            *response = backchat::http::PlainTextResponse(404, "not found");
          });
      if (!started.ok()) return backchat::bots::Fail(program, started.status().message());
      server = *std::move(started);
    }
    telegram.Start();
    telegram.StartPolling();
    std::cerr << program << ": polling " << options.api_base_url << std::endl;
  }
  backchat::bots::WaitForStopSignal(signals, program);
  if (server != nullptr) server->Shutdown();
  telegram.Stop();
  curl_global_cleanup();
  return 0;
}
