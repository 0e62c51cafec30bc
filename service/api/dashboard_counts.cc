#include "service/api/dashboard_counts.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "service/common/deferred_writes.h"
#include "service/common/log_line.h"
#include "service/engine/level_name.h"

namespace backchat::api {

namespace {

records::Count Delta(std::string name, std::string item, int64_t value = 1) {
  records::Count count;
  count.key.name = std::move(name);
  count.key.item = std::move(item);
  count.value = value;
  return count;
}

// Where a conversation is: at a question ("at", its id) or an outcome.
records::Count Position(const engine::CompiledDialog& dialog, const engine::Step& step,
                        int64_t value) {
  if (step.finished) return Delta("finished", "", value);
  return Delta("at", dialog.questions[step.question].id, value);
}

}  // namespace

const std::vector<absl::string_view>& DashboardCounts::MinutesBuckets() {
  static const std::vector<absl::string_view>* const kBuckets =
      new std::vector<absl::string_view>{"0-1",   "1-2",   "2-3",   "3-5", "5-10",
                                         "10-20", "20-30", "30-60", "60+"};
  return *kBuckets;
}

absl::string_view DashboardCounts::MinutesBucket(absl::Duration elapsed) {
  static constexpr int kUpper[] = {1, 2, 3, 5, 10, 20, 30, 60};
  for (size_t i = 0; i < sizeof(kUpper) / sizeof(kUpper[0]); ++i) {
    if (elapsed < absl::Minutes(kUpper[i])) return MinutesBuckets()[i];
  }
  return MinutesBuckets().back();
}

void DashboardCounts::Started(const store::Session& session, const engine::Step& first) const {
  if (counts_ == nullptr) return;
  std::vector<records::Count> deltas = {Delta("started", ""),
                                        Position(*session.dialog, first, 1)};
  if (!first.finished) {
    deltas.push_back(Delta("reached", session.dialog->questions[first.question].id));
  }
  Add(session, std::move(deltas));
}

void DashboardCounts::Moved(const store::Session& session, const engine::Step& from,
                            const engine::Step& to, bool forward,
                            const triage::v1::Turn& turn) const {
  if (counts_ == nullptr) return;
  const engine::CompiledDialog& dialog = *session.dialog;
  std::vector<records::Count> deltas = {Position(dialog, from, -1), Position(dialog, to, 1)};
  if (forward && !to.finished) deltas.push_back(Delta("reached", dialog.questions[to.question].id));
  if (to.finished && forward) {
    deltas.push_back(Delta("outcome", std::string(engine::LevelName(to.level))));
    for (int flag : to.fired_flags) deltas.push_back(Delta("red_flag", dialog.red_flags[flag].id));
    deltas.push_back(
        Delta("questions", absl::StrCat(engine::AnswersAsIds(dialog, session.state).size())));
    deltas.push_back(
        Delta("minutes", std::string(MinutesBucket(session.updated - session.created))));
    for (const auto& action : turn.outcome().actions()) {
      const std::string& kind = triage::v1::ActionKind_Name(action.kind());
      deltas.push_back(Delta("action", std::string(absl::StripPrefix(kind, "ACTION_KIND_"))));
    }
  }
  Add(session, std::move(deltas));
}

void DashboardCounts::TypedAnswer(const store::Session& session, int question, Typed what) const {
  if (counts_ == nullptr) return;
  const char* name = what == Typed::kAccepted    ? "typed_accepted"
                     : what == Typed::kConfirmed ? "typed_confirmed"
                                                 : "typed_asked_again";
  Add(session, {Delta(name, session.dialog->questions[question].id)});
}

void DashboardCounts::Add(const store::Session& session,
                          std::vector<records::Count> deltas) const {
  const engine::CompiledDialog& dialog = *session.dialog;
  for (records::Count& delta : deltas) {
    delta.key.day = records::DayOf(session.created);
    delta.key.dialog_id = dialog.id;
    delta.key.dialog_version = dialog.version;
    delta.key.channel = session.channel;
    delta.key.language = dialog.locale;
  }
  // Counted once the step is saved (a call may run again, see
  // common/deferred_writes.h).
  DeferredWrites::AfterSaved([counts = counts_, deltas = std::move(deltas)] {
    if (absl::Status added = counts->Add(deltas); !added.ok()) {
      LogLine("backchat_server",
              absl::StrCat("the dashboard's counts were not kept: ", added.ToString()));
    }
  });
}

}  // namespace backchat::api
