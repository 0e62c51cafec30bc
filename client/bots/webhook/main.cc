// backchat_webhook: the generic chat webhook, for adapters of any chat
// platform (POST /v1/messages; see proto/backchat/chat/v1).
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "client/bots/bridge_main.h"
#include "client/bots/webhook/chat_webhook.h"
#include "absl/strings/match.h"
#include "client/bots/webhook/callback_sender.h"
#include "client/chat/sealed_address.h"
#include "client/chat/secrets.h"

ABSL_FLAG(int, port, 8083, "Port of the webhook (0 picks a free one).");
ABSL_FLAG(std::string, token_file, "",
          "File holding the token callers send as \"Authorization: Bearer "
          "<token>\" (at least 16 bytes; required).");
ABSL_FLAG(std::string, user_key_file, "",
          "File holding a secret of at least 16 bytes that keys the hash "
          "stored for each user id (required; keep it apart from --state_db).");
ABSL_FLAG(std::string, callback_url, "",
          "Check-ins (--check_ins): the integrator's URL they are posted to "
          "(https, or http on loopback), signed with the token.");
ABSL_DECLARE_FLAG(bool, check_ins);
ABSL_FLAG(int, max_message_length, 2000,
          "Replies are split into messages of at most this many characters.");

int main(int argc, char** argv) {
  const std::string program = "backchat_webhook";
  absl::SetProgramUsageMessage(
      "The generic chat webhook: {user, text} in, messages and options out.\n"
      "  backchat_webhook --token_file=... --user_key_file=... --state_db=data/webhook.db");
  absl::ParseCommandLine(argc, argv);
  const sigset_t signals = backchat::bots::BlockStopSignals();

  backchat::webhook::ChatWebhookOptions options;
  auto token = backchat::chat::ReadSecretFile(absl::GetFlag(FLAGS_token_file),
                                              "--token_file", 16);
  if (!token.ok()) return backchat::bots::Fail(program, token.status().message());
  options.token = *token;
  auto user_key = backchat::chat::ReadSecretFile(absl::GetFlag(FLAGS_user_key_file),
                                                 "--user_key_file", 16);
  if (!user_key.ok()) return backchat::bots::Fail(program, user_key.status().message());
  options.user_key = *user_key;
  const int max_length = absl::GetFlag(FLAGS_max_message_length);
  if (max_length < 160) {
    return backchat::bots::Fail(program, "--max_message_length must be at least 160");
  }
  options.max_message_length = static_cast<size_t>(max_length);

  const std::string callback_url = absl::GetFlag(FLAGS_callback_url);
  if (absl::GetFlag(FLAGS_check_ins) && !absl::StartsWith(callback_url, "https://") &&
      !absl::StartsWith(callback_url, "http://")) {
    return backchat::bots::Fail(program, "--check_ins needs --callback_url, an http(s) URL");
  }

  auto bridge = backchat::bots::OpenBridge(backchat::triage::v1::CHANNEL_WEBHOOK, false,
                                           options.user_key);
  if (!bridge.ok()) return backchat::bots::Fail(program, bridge.status().message());
  const absl::Status check_ins = backchat::bots::StartCheckIns(
      &*bridge, [callback_url, token = options.token, key = options.user_key](
                    const backchat::chat::PendingCheckIn& check_in, const std::string&) {
        auto user = backchat::chat::OpenAddress(key, check_in.sealed_address);
        if (!user.ok()) return user.status();
        return backchat::webhook::SendCheckInCallback(callback_url, token, *user,
                                                      check_in.locale);
      });
  if (!check_ins.ok()) return backchat::bots::Fail(program, check_ins.message());
  backchat::webhook::ChatWebhook webhook(bridge->check_ins.get(), options);
  return backchat::bots::ServeUntilStopped(
      program, absl::GetFlag(FLAGS_port), *bridge,
      [key = options.user_key](const std::string& user) {
        return backchat::chat::KeyedHash(key, user);
      },
      [&webhook](const backchat::http::HttpRequest& request,
                 backchat::http::HttpResponse* response) {
        webhook.Handle(request, response);
      },
      signals);
}
