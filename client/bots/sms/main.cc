// backchat_sms: the SMS bridge. Twilio posts each incoming SMS to its
// webhook; the reply (TwiML) goes back to the sender.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "client/bots/bridge_main.h"
#include "client/bots/sms/sms_webhook.h"
#include "client/bots/sms/twilio_messages.h"
#include "client/chat/sealed_address.h"
#include "client/chat/secrets.h"

ABSL_FLAG(int, port, 8082, "Port of the SMS webhook (0 picks a free one).");
ABSL_FLAG(std::string, path, "/sms", "Path of the SMS webhook.");
ABSL_FLAG(std::string, public_url, "",
          "The webhook's URL exactly as configured in Twilio, e.g. "
          "https://clinic.example/sms (Twilio signs it; required).");
ABSL_FLAG(std::string, twilio_auth_token_file, "",
          "File holding the Twilio account's auth token (required).");
ABSL_FLAG(std::string, phone_key_file, "",
          "File holding a secret of at least 16 bytes that keys the hash "
          "stored for each phone number (required; keep it apart from "
          "--state_db).");
ABSL_FLAG(std::string, twilio_account_sid_file, "",
          "Check-ins (--check_ins): file holding the Twilio account SID that "
          "sends them through Twilio's REST API.");
ABSL_FLAG(std::string, twilio_from, "",
          "Check-ins (--check_ins): the Twilio number they are sent from, "
          "E.164 (e.g. +34911234567).");
ABSL_FLAG(std::string, twilio_api_base_url, "https://api.twilio.com",
          "Twilio's REST API (tests point it at a fake on loopback).");
ABSL_DECLARE_FLAG(bool, check_ins);

int main(int argc, char** argv) {
  const std::string program = "backchat_sms";
  absl::SetProgramUsageMessage(
      "The SMS bridge: Twilio webhooks to BackChat conversations.\n"
      "  backchat_sms --public_url=https://clinic.example/sms "
      "--twilio_auth_token_file=... --phone_key_file=... --state_db=data/sms.db");
  absl::ParseCommandLine(argc, argv);
  const sigset_t signals = backchat::bots::BlockStopSignals();

  backchat::sms::SmsWebhookOptions options;
  options.path = absl::GetFlag(FLAGS_path);
  options.public_url = absl::GetFlag(FLAGS_public_url);
  if (options.public_url.empty()) {
    return backchat::bots::Fail(program, "--public_url is required (the URL set in Twilio)");
  }
  auto token = backchat::chat::ReadSecretFile(absl::GetFlag(FLAGS_twilio_auth_token_file),
                                              "--twilio_auth_token_file");
  if (!token.ok()) return backchat::bots::Fail(program, token.status().message());
  options.auth_token = *token;
  auto phone_key = backchat::chat::ReadSecretFile(absl::GetFlag(FLAGS_phone_key_file),
                                                  "--phone_key_file", 16);
  if (!phone_key.ok()) return backchat::bots::Fail(program, phone_key.status().message());
  options.phone_key = *phone_key;

  backchat::sms::TwilioAccount account;
  if (absl::GetFlag(FLAGS_check_ins)) {
    auto sid = backchat::chat::ReadSecretFile(absl::GetFlag(FLAGS_twilio_account_sid_file),
                                              "--twilio_account_sid_file");
    if (!sid.ok()) return backchat::bots::Fail(program, sid.status().message());
    if (absl::GetFlag(FLAGS_twilio_from).empty()) {
      return backchat::bots::Fail(program, "--check_ins needs --twilio_from (the sending number)");
    }
    account.api_base_url = absl::GetFlag(FLAGS_twilio_api_base_url);
    account.account_sid = *sid;
    account.auth_token = options.auth_token;
    account.from = absl::GetFlag(FLAGS_twilio_from);
  }

  auto bridge = backchat::bots::OpenBridge(backchat::triage::v1::CHANNEL_SMS, false,
                                           options.phone_key);
  if (!bridge.ok()) return backchat::bots::Fail(program, bridge.status().message());
  const absl::Status check_ins = backchat::bots::StartCheckIns(
      &*bridge, [account, key = options.phone_key](
                    const backchat::chat::PendingCheckIn& check_in, const std::string& text) {
        auto to = backchat::chat::OpenAddress(key, check_in.sealed_address);
        if (!to.ok()) return to.status();
        return backchat::sms::SendSms(account, *to, text);
      });
  if (!check_ins.ok()) return backchat::bots::Fail(program, check_ins.message());
  backchat::sms::SmsWebhook webhook(bridge->check_ins.get(), options);
  return backchat::bots::ServeUntilStopped(
      program, absl::GetFlag(FLAGS_port), *bridge,
      [key = options.phone_key](const std::string& number) {
        return backchat::chat::KeyedHash(key, number);
      },
      [&webhook](const backchat::http::HttpRequest& request,
                 backchat::http::HttpResponse* response) {
        webhook.Handle(request, response);
      },
      signals);
}
