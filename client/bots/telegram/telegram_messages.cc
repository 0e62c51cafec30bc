#include "client/bots/telegram/telegram_messages.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/chat/chat_strings.h"
#include "service/http/proto_json.h"

namespace backchat::telegram {

namespace tv1 = ::backchat::triage::v1;

namespace {

// One button object: {"text":..., "callback_data":...}.
void AppendButtonInRow(absl::string_view text, absl::string_view data, std::string* out) {
  out->append("{\"text\":");
  http::AppendJsonString(text, out);
  out->append(",\"callback_data\":");
  http::AppendJsonString(data, out);
  out->push_back('}');
}

// A row holding one button.
void AppendButton(absl::string_view text, absl::string_view data, std::string* out) {
  out->push_back('[');
  AppendButtonInRow(text, data, out);
  out->push_back(']');
}

}  // namespace

std::optional<ButtonPress> ParseButtonData(absl::string_view data) {
  if (data == "d") return ButtonPress{ButtonPress::Kind::kDone, 0};
  if (data == "y") return ButtonPress{ButtonPress::Kind::kAccept, 0};
  if (data == "n") return ButtonPress{ButtonPress::Kind::kRefuse, 0};
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

std::string QuestionKeyboard(const tv1::Question& question, const std::set<int>& ticked,
                             absl::string_view done_label) {
  const bool multiple = question.kind() == tv1::QUESTION_KIND_MULTIPLE_CHOICE;
  std::string out = "{\"inline_keyboard\":[";
  for (int i = 0; i < question.options_size(); ++i) {
    const int number = i + 1;
    if (i > 0) out.push_back(',');
    const std::string& label = question.options(i).label();
    if (multiple) {
      AppendButton(ticked.count(number) ? absl::StrCat("\u2713 ", label) : label,
                   absl::StrCat("t:", number), &out);
    } else {
      AppendButton(label, absl::StrCat("a:", number), &out);
    }
  }
  if (multiple) {
    out.push_back(',');
    AppendButton(done_label, "d", &out);
  }
  out.append("]}");
  return out;
}

std::string ConfirmationKeyboard(const tv1::Confirmation& confirmation) {
  // One row of two: Telegram's inline_keyboard is an array of rows.
  std::string out = "{\"inline_keyboard\":[[";
  AppendButtonInRow(confirmation.accept_label(), "y", &out);
  out.push_back(',');
  AppendButtonInRow(confirmation.refuse_label(), "n", &out);
  out.append("]]}");
  return out;
}

std::string OutcomeKeyboard(const tv1::Outcome& outcome) {
  std::string rows;
  for (const tv1::OutcomeAction& action : outcome.actions()) {
    if (action.kind() != tv1::ACTION_KIND_BOOK ||
        !(absl::StartsWithIgnoreCase(action.target(), "https://") ||
          absl::StartsWithIgnoreCase(action.target(), "http://"))) {
      continue;
    }
    if (!rows.empty()) rows.push_back(',');
    rows.append("[{\"text\":");
    http::AppendJsonString(action.label(), &rows);
    rows.append(",\"url\":");
    http::AppendJsonString(action.target(), &rows);
    rows.append("}]");
  }
  if (rows.empty()) return "";
  return absl::StrCat("{\"inline_keyboard\":[", rows, "]}");
}

std::string CheckInKeyboard(absl::string_view locale) {
  const chat::ChatStrings& strings = chat::StringsFor(locale);
  std::string out = "{\"inline_keyboard\":[";
  for (int i = 0; i < 4; ++i) {
    if (i > 0) out.push_back(',');
    AppendButton(strings.check_in_choices[i], absl::StrCat("c:", i + 1), &out);
  }
  out.append("]}");
  return out;
}

std::string NoKeyboard() { return "{\"inline_keyboard\":[]}"; }

std::string SendMessageJson(int64_t chat_id, absl::string_view text,
                            absl::string_view keyboard_json) {
  std::string out = absl::StrCat("{\"chat_id\":", chat_id, ",\"text\":");
  http::AppendJsonString(text, &out);
  if (!keyboard_json.empty()) absl::StrAppend(&out, ",\"reply_markup\":", keyboard_json);
  out.push_back('}');
  return out;
}

std::string EditKeyboardJson(int64_t chat_id, int64_t message_id,
                             absl::string_view keyboard_json) {
  return absl::StrCat("{\"chat_id\":", chat_id, ",\"message_id\":", message_id,
                      ",\"reply_markup\":", keyboard_json, "}");
}

std::string AnswerCallbackJson(absl::string_view callback_query_id, absl::string_view text) {
  std::string out = "{\"callback_query_id\":";
  http::AppendJsonString(callback_query_id, &out);
  if (!text.empty()) {
    out.append(",\"text\":");
    http::AppendJsonString(text, &out);
  }
  out.push_back('}');
  return out;
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
