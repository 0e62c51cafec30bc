#include "client/cli/turn_printer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/common/action_text.h"
#include "google/protobuf/util/json_util.h"

namespace backchat::cli {

namespace tv1 = ::backchat::triage::v1;

std::string LevelName(tv1::Level level) {
  return std::string(absl::StripPrefix(tv1::Level_Name(level), "LEVEL_"));
}

namespace {

void AppendList(const char* title,
                const google::protobuf::RepeatedPtrField<std::string>& items,
                std::string* out) {
  if (items.empty()) return;
  absl::StrAppend(out, title, "\n");
  for (const std::string& item : items) absl::StrAppend(out, "  - ", item, "\n");
}

std::string QuestionAsText(const tv1::Question& q) {
  std::string out = absl::StrCat("\n[question ", q.progress().answered() + 1,
                                 ", at most ", q.progress().remaining_at_most() - 1,
                                 " more] ", q.text(), "\n");
  if (!q.help().empty()) absl::StrAppend(&out, "  (", q.help(), ")\n");
  for (int i = 0; i < q.options_size(); ++i) {
    absl::StrAppend(&out, "  ", i + 1, ". ", q.options(i).label(), "\n");
  }
  if (q.kind() == tv1::QUESTION_KIND_MULTIPLE_CHOICE) {
    absl::StrAppend(&out, "  (you can give several numbers, e.g. \"1 3\")\n");
  }
  return out;
}

std::string OutcomeAsText(const tv1::Outcome& o) {
  std::string out = absl::StrCat("\n=== ", LevelName(o.level()), " ===\n",
                                 o.headline(), "\n", o.next_steps(), "\n");
  for (const tv1::OutcomeAction& action : o.actions()) {
    absl::StrAppend(&out, "  -> ", client::ActionLine(action), "\n");
  }
  if (!o.red_flags().empty()) {
    absl::StrAppend(&out, "Why:\n");
    for (const tv1::RedFlag& flag : o.red_flags()) {
      absl::StrAppend(&out, "  ! ", flag.reason(), "\n");
    }
  }
  if (o.has_self_care()) {
    const tv1::SelfCarePlan& plan = o.self_care();
    absl::StrAppend(&out, "Technique: ", plan.technique().name(), "\n  ",
                    plan.technique().reason(), "\n  ",
                    plan.technique().description(), "\n");
    absl::StrAppend(&out, "How often: ", plan.frequency(), ". ",
                    plan.frequency_note(), "\n");
    absl::StrAppend(&out, "Session length: ", plan.session_length(), "\n");
    AppendList("Before a session:", plan.before_session(), &out);
    AppendList("After a session:", plan.after_session(), &out);
    AppendList("Between sessions:", plan.self_massage(), &out);
    AppendList("See a doctor if you notice:", plan.watch_for(), &out);
  }
  absl::StrAppend(&out, o.disclaimer(), "\n");
  return out;
}

}  // namespace

std::string TurnAsText(const tv1::Turn& turn) {
  std::string out;
  if (turn.has_read_back()) {
    absl::StrAppend(&out, "\n", turn.read_back().text(),
                    " (type back if that is wrong)\n");
  }
  if (!turn.notice().empty()) absl::StrAppend(&out, "\n", turn.notice(), "\n");
  if (turn.has_question())
    absl::StrAppend(&out, QuestionAsText(turn.question()));
  if (turn.has_confirmation()) {
    const tv1::Confirmation& c = turn.confirmation();
    absl::StrAppend(&out, "? ", c.text(), " (", c.accept_label(), " / ",
                    c.refuse_label(), ", or type your answer again)\n");
  }
  if (turn.has_outcome()) absl::StrAppend(&out, OutcomeAsText(turn.outcome()));
  return out;
}

std::string TurnAsJson(const tv1::Turn& turn) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = false;
  if (!google::protobuf::util::MessageToJsonString(turn, &json, options).ok()) {
    return "{}";
  }
  return json;
}

}  // namespace backchat::cli
