#include "client/bots/telegram/telegram_messages.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/chat/chat_strings.h"
#include "google/protobuf/util/json_util.h"

namespace backchat::telegram {

namespace tv1 = ::backchat::triage::v1;
using google::protobuf::ListValue;
using google::protobuf::Value;

namespace {

// One button object: {"text": ..., `kind`: `target`}, where `kind` is
// "callback_data" or "url".
Value Button(absl::string_view text, const char* kind, absl::string_view target) {
  Value button;
  auto& fields = *button.mutable_struct_value()->mutable_fields();
  fields["text"].set_string_value(std::string(text));
  fields[kind].set_string_value(std::string(target));
  return button;
}

// A row holding `buttons`, added to `keyboard`.
ListValue* AddRow(InlineKeyboardMarkup* keyboard) { return keyboard->add_inline_keyboard(); }

void AddButton(ListValue* row, Value button) { *row->add_values() = std::move(button); }

// Two buttons in one row: Telegram's yes/no layout.
InlineKeyboardMarkup YesNo(absl::string_view yes, absl::string_view yes_data,
                           absl::string_view no, absl::string_view no_data) {
  InlineKeyboardMarkup keyboard;
  ListValue* row = AddRow(&keyboard);
  AddButton(row, Button(yes, "callback_data", yes_data));
  AddButton(row, Button(no, "callback_data", no_data));
  return keyboard;
}

}  // namespace

absl::Status ParseBotApiJson(absl::string_view json, google::protobuf::Message* message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), message, options);
  if (status.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(std::string(status.message()));
}

std::string BotApiJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  // Fails only for a message that cannot be JSON (an Any of an unknown
  // type); bot_api.proto has none.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::optional<ButtonPress> ParseButtonData(absl::string_view data) {
  if (data == "d") return ButtonPress{ButtonPress::Kind::kDone, 0};
  if (data == "y") return ButtonPress{ButtonPress::Kind::kAccept, 0};
  if (data == "n") return ButtonPress{ButtonPress::Kind::kRefuse, 0};
  if (data == "o:y") return ButtonPress{ButtonPress::Kind::kOfferYes, 0};
  if (data == "o:n") return ButtonPress{ButtonPress::Kind::kOfferNo, 0};
  ButtonPress press{ButtonPress::Kind::kAnswer, 0};
  if (absl::ConsumePrefix(&data, "t:")) {
    press.kind = ButtonPress::Kind::kTick;
  } else if (absl::ConsumePrefix(&data, "c:")) {
    press.kind = ButtonPress::Kind::kCheckIn;
  } else if (!absl::ConsumePrefix(&data, "a:")) {
    return std::nullopt;
  }
  if (!absl::SimpleAtoi(data, &press.number) || press.number < 1 || press.number > 99) {
    return std::nullopt;
  }
  return press;
}

InlineKeyboardMarkup QuestionKeyboard(const tv1::Question& question, const std::set<int>& ticked,
                                      absl::string_view done_label) {
  const bool multiple = question.kind() == tv1::QUESTION_KIND_MULTIPLE_CHOICE;
  InlineKeyboardMarkup keyboard;
  for (int i = 0; i < question.options_size(); ++i) {
    const int number = i + 1;
    const std::string& label = question.options(i).label();
    if (multiple) {
      AddButton(AddRow(&keyboard),
                Button(ticked.count(number) ? absl::StrCat("\u2713 ", label) : label,
                       "callback_data", absl::StrCat("t:", number)));
    } else {
      AddButton(AddRow(&keyboard), Button(label, "callback_data", absl::StrCat("a:", number)));
    }
  }
  if (multiple) AddButton(AddRow(&keyboard), Button(done_label, "callback_data", "d"));
  return keyboard;
}

InlineKeyboardMarkup ConfirmationKeyboard(const tv1::Confirmation& confirmation) {
  return YesNo(confirmation.accept_label(), "y", confirmation.refuse_label(), "n");
}

std::optional<InlineKeyboardMarkup> OutcomeKeyboard(const tv1::Outcome& outcome) {
  InlineKeyboardMarkup keyboard;
  for (const tv1::OutcomeAction& action : outcome.actions()) {
    if (action.kind() != tv1::ACTION_KIND_BOOK ||
        !(absl::StartsWithIgnoreCase(action.target(), "https://") ||
          absl::StartsWithIgnoreCase(action.target(), "http://"))) {
      continue;
    }
    AddButton(AddRow(&keyboard), Button(action.label(), "url", action.target()));
  }
  if (keyboard.inline_keyboard_size() == 0) return std::nullopt;
  return keyboard;
}

InlineKeyboardMarkup OfferKeyboard(absl::string_view locale) {
  const chat::ChatStrings& strings = chat::StringsFor(locale);
  return YesNo(strings.check_in_offer_buttons[0], "o:y", strings.check_in_offer_buttons[1],
               "o:n");
}

InlineKeyboardMarkup CheckInKeyboard(absl::string_view locale) {
  const chat::ChatStrings& strings = chat::StringsFor(locale);
  InlineKeyboardMarkup keyboard;
  for (int i = 0; i < 4; ++i) {
    AddButton(AddRow(&keyboard),
              Button(strings.check_in_choices[i], "callback_data", absl::StrCat("c:", i + 1)));
  }
  return keyboard;
}

InlineKeyboardMarkup NoKeyboard() { return {}; }

std::string SendMessageJson(int64_t chat_id, absl::string_view text,
                            const std::optional<InlineKeyboardMarkup>& keyboard) {
  SendMessageRequest request;
  request.set_chat_id(chat_id);
  request.set_text(std::string(text));
  if (keyboard.has_value()) *request.mutable_reply_markup() = *keyboard;
  return BotApiJson(request);
}

std::string EditKeyboardJson(int64_t chat_id, int64_t message_id,
                             const InlineKeyboardMarkup& keyboard) {
  EditMessageReplyMarkupRequest request;
  request.set_chat_id(chat_id);
  request.set_message_id(message_id);
  *request.mutable_reply_markup() = keyboard;
  return BotApiJson(request);
}

std::string AnswerCallbackJson(absl::string_view callback_query_id, absl::string_view text) {
  AnswerCallbackQueryRequest request;
  request.set_callback_query_id(std::string(callback_query_id));
  request.set_text(std::string(text));
  return BotApiJson(request);
}

std::set<int> ParseTicked(absl::string_view ticked) {
  std::set<int> numbers;
  for (absl::string_view part : absl::StrSplit(ticked, ' ', absl::SkipEmpty())) {
    int number = 0;
    if (absl::SimpleAtoi(part, &number)) numbers.insert(number);
  }
  return numbers;
}

std::string FormatTicked(const std::set<int>& ticked) { return absl::StrJoin(ticked, " "); }

}  // namespace backchat::telegram
