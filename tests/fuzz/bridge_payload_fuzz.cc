// Fuzzes what the chat bridges read from the outside: Telegram updates and
// button data, Twilio's form bodies and signatures, the generic webhook's
// JSON, chat commands, and the splitting of whatever text comes back.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "backchat/chat/v1/chat_webhook.pb.h"
#include "client/bots/sms/twilio_signature.h"
#include "client/bots/telegram/bot_api.pb.h"
#include "client/bots/telegram/telegram_messages.h"
#include "client/chat/chat_commands.h"
#include "client/chat/message_splitter.h"
#include "google/protobuf/util/json_util.h"
#include "service/common/http/form_urlencoded.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::string text(bytes);
  google::protobuf::util::JsonParseOptions lenient;
  lenient.ignore_unknown_fields = true;
  backchat::telegram::Update update;
  (void)google::protobuf::util::JsonStringToMessage(text, &update, lenient);
  backchat::telegram::UpdateList list;
  (void)google::protobuf::util::JsonStringToMessage(text, &list, lenient);
  backchat::chat::v1::ChatWebhookRequest request;
  (void)google::protobuf::util::JsonStringToMessage(text, &request);
  backchat::telegram::ParseButtonData(bytes);
  backchat::telegram::ParseTicked(bytes);
  backchat::chat::ParseChatCommand(bytes);
  if (backchat::chat::IsValidUtf8(bytes)) {
    for (size_t limit : {size_t{2}, size_t{7}, size_t{160}}) {
      for (const std::string& part : backchat::chat::SplitMessage(bytes, limit)) {
        if (backchat::chat::MessageLength(part) > limit || part.empty()) __builtin_trap();
      }
    }
  }
  auto fields = backchat::http::ParseFormUrlencoded(bytes);
  if (fields.ok()) {
    backchat::sms::TwilioSignatureValid("token", "https://clinic.example/sms", *fields,
                                        backchat::http::FormValue(*fields, "Signature"));
  }
  return 0;
}
