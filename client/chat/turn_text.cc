#include "client/chat/turn_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/substitute.h"
#include "client/chat/chat_strings.h"
#include "client/common/action_text.h"

namespace backchat::chat {

namespace tv1 = ::backchat::triage::v1;

namespace {

void AppendList(const char* title,
                const google::protobuf::RepeatedPtrField<std::string>& items,
                std::string* out) {
  if (items.empty()) return;
  absl::StrAppend(out, "\n\n", title, ":");
  for (const std::string& item : items) absl::StrAppend(out, "\n- ", item);
}

std::string QuestionText(const tv1::Turn& turn, const ChatStrings& strings,
                         bool buttons) {
  const tv1::Question& q = turn.question();
  std::string out;
  if (turn.has_read_back()) {
    absl::StrAppend(&out, turn.read_back().text(), " ", strings.read_back_hint,
                    "\n\n");
  }
  if (!turn.notice().empty()) absl::StrAppend(&out, turn.notice(), "\n\n");
  const int answered = q.progress().answered();
  absl::StrAppend(&out,
                  absl::Substitute(strings.progress, answered + 1,
                                   answered + q.progress().remaining_at_most()),
                  "\n", q.text());
  if (turn.has_confirmation()) {
    // The proposal replaces the options: "no" brings them back.
    absl::StrAppend(
        &out, "\n\n", turn.confirmation().text(), "\n\n",
        buttons ? strings.confirm_hint_buttons : strings.confirm_hint);
    return out;
  }
  if (!q.help().empty()) absl::StrAppend(&out, "\n", q.help());
  absl::StrAppend(&out, "\n");
  for (int i = 0; i < q.options_size(); ++i) {
    absl::StrAppend(&out, "\n", i + 1, ". ", q.options(i).label());
  }
  const bool multiple = q.kind() == tv1::QUESTION_KIND_MULTIPLE_CHOICE;
  const char* hint = buttons ? (multiple ? strings.hint_multiple_buttons
                                         : strings.hint_single_buttons)
                             : (multiple ? strings.hint_multiple : strings.hint_single);
  absl::StrAppend(&out, "\n\n", hint);
  return out;
}

std::string OutcomeText(const tv1::Turn& turn, const ChatStrings& strings) {
  const tv1::Outcome& o = turn.outcome();
  std::string out = absl::StrCat(LevelHeading(strings, o.level()), ": ",
                                 o.headline(), "\n", o.next_steps());
  if (!o.actions().empty()) absl::StrAppend(&out, "\n");
  for (const tv1::OutcomeAction& action : o.actions()) {
    absl::StrAppend(&out, "\n", client::ActionLine(action));
  }
  if (!o.red_flags().empty()) {
    absl::StrAppend(&out, "\n\n", strings.why, ":");
    for (const tv1::RedFlag& flag : o.red_flags()) {
      absl::StrAppend(&out, "\n- ", flag.reason());
    }
  }
  if (o.has_self_care()) {
    const tv1::SelfCarePlan& plan = o.self_care();
    absl::StrAppend(&out, "\n\n", strings.technique, ": ", plan.technique().name(),
                    "\n", plan.technique().description(), "\n",
                    plan.technique().reason());
    absl::StrAppend(&out, "\n\n", strings.frequency, ": ", plan.frequency());
    if (!plan.frequency_note().empty()) absl::StrAppend(&out, ". ", plan.frequency_note());
    absl::StrAppend(&out, "\n", strings.session_length, ": ", plan.session_length());
    AppendList(strings.before_session, plan.before_session(), &out);
    AppendList(strings.after_session, plan.after_session(), &out);
    AppendList(strings.self_massage, plan.self_massage(), &out);
    AppendList(strings.watch_for, plan.watch_for(), &out);
  }
  if (!o.disclaimer().empty()) absl::StrAppend(&out, "\n\n", o.disclaimer());
  if (!turn.notice().empty()) absl::StrAppend(&out, "\n\n", turn.notice());
  if (turn.has_read_back()) {
    absl::StrAppend(&out, "\n\n", turn.read_back().text(), " ",
                    strings.read_back_hint);
  }
  absl::StrAppend(&out, "\n\n", strings.after_outcome);
  return out;
}

}  // namespace

std::string TurnText(const tv1::Turn& turn, bool buttons) {
  const ChatStrings& strings = StringsFor(turn.locale());
  if (turn.has_outcome()) return OutcomeText(turn, strings);
  if (turn.has_question()) return QuestionText(turn, strings, buttons);
  return turn.notice();
}

}  // namespace backchat::chat
