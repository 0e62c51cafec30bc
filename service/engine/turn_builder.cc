#include "service/engine/turn_builder.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace backchat::engine {
namespace {

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary.
absl::string_view Shortened(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

// The labels of the options in `options`, in order.
std::vector<absl::string_view> Labels(const CompiledQuestion& question,
                                      OptionMask options) {
  std::vector<absl::string_view> labels;
  for (size_t o = 0; o < question.options.size(); ++o) {
    if ((options >> o) & 1) labels.push_back(question.options[o].label);
  }
  return labels;
}

// Appends the options in `options` (id, label, exclusive), in order.
void AddOptions(const CompiledQuestion& question, OptionMask options,
                google::protobuf::RepeatedPtrField<triage::v1::Option>* out) {
  for (size_t o = 0; o < question.options.size(); ++o) {
    if (((options >> o) & 1) == 0) continue;
    triage::v1::Option* option = out->Add();
    option->set_id(question.options[o].id);
    option->set_label(question.options[o].label);
    option->set_exclusive(question.options[o].exclusive);
  }
}

void FillQuestion(const CompiledDialog& dialog, const Step& step,
                  triage::v1::Question* out) {
  *out = dialog.questions[step.question].shown;
  out->mutable_progress()->set_answered(step.answered);
  out->mutable_progress()->set_remaining_at_most(step.remaining_at_most);
}

void FillOutcome(const CompiledDialog& dialog, const Step& step,
                 triage::v1::Outcome* out) {
  out->set_level(step.level);
  const LevelText& text = dialog.level_texts[step.level];
  out->set_headline(text.headline);
  out->set_next_steps(text.next_steps);
  for (int index : step.fired_flags) {
    const CompiledRedFlag& flag = dialog.red_flags[index];
    triage::v1::RedFlag* f = out->add_red_flags();
    f->set_id(flag.id);
    f->set_level(flag.level);
    f->set_reason(flag.reason);
  }
  out->set_disclaimer(dialog.disclaimer);
  if (step.level != triage::v1::LEVEL_SELF_CARE) return;

  triage::v1::SelfCarePlan* plan = out->mutable_self_care();
  if (step.technique_rule >= 0) {
    const CompiledTechniqueRule& rule = dialog.technique_rules[step.technique_rule];
    const CompiledTechnique& technique = dialog.techniques[rule.technique];
    plan->mutable_technique()->set_id(technique.id);
    plan->mutable_technique()->set_name(technique.name);
    plan->mutable_technique()->set_description(technique.description);
    plan->mutable_technique()->set_reason(rule.reason);
  }
  if (step.frequency_rule >= 0) {
    const CompiledFrequencyRule& rule = dialog.frequency_rules[step.frequency_rule];
    plan->set_frequency(rule.frequency);
    plan->set_frequency_note(rule.note);
  }
  const dialog::v1::SelfCareAdvice& advice = dialog.self_care_advice;
  plan->set_session_length(advice.session_length());
  plan->mutable_before_session()->CopyFrom(advice.before_session());
  plan->mutable_after_session()->CopyFrom(advice.after_session());
  plan->mutable_self_massage()->CopyFrom(advice.self_massage());
  plan->mutable_watch_for()->CopyFrom(advice.watch_for());
}

}  // namespace

triage::v1::Question ShownQuestion(const CompiledQuestion& question) {
  triage::v1::Question shown;
  shown.set_id(question.id);
  shown.set_text(question.text);
  shown.set_help(question.help);
  shown.set_why(question.why);
  shown.set_kind(question.kind);
  AddOptions(question, ~OptionMask{0}, shown.mutable_options());
  return shown;
}

void FillConfirmation(const CompiledDialog& dialog,
                      const CompiledQuestion& question, OptionMask options,
                      triage::v1::Turn* turn) {
  triage::v1::Confirmation* c = turn->mutable_confirmation();
  c->set_question_id(question.id);
  AddOptions(question, options, c->mutable_options());
  bool exclusive = false;
  for (size_t o = 0; o < question.options.size(); ++o) {
    exclusive |= ((options >> o) & 1) && question.options[o].exclusive;
  }
  const dialog::v1::Messages& m = dialog.messages;
  absl::string_view pattern = exclusive ? m.confirm_exclusive()
                              : question.multiple_choice()
                                  ? m.confirm_multiple()
                                  : m.confirm_single();
  c->set_text(absl::StrReplaceAll(
      pattern,
      {{"{options}", absl::StrJoin(Labels(question, options), "; ")},
       {"{ruled_out}", absl::StrJoin(Labels(question, ~options), "; ")}}));
  c->set_accept_label(m.confirm_yes_label());
  c->set_refuse_label(m.confirm_no_label());
}

void FillReadBack(const CompiledDialog& dialog,
                  const CompiledQuestion& question, OptionMask options,
                  triage::v1::Turn* turn) {
  triage::v1::ReadBack* r = turn->mutable_read_back();
  r->set_question_id(question.id);
  AddOptions(question, options, r->mutable_options());
  r->set_text(absl::StrReplaceAll(
      dialog.messages.read_back(),
      {{"{options}", absl::StrJoin(Labels(question, options), "; ")}}));
}

void FillTurn(const CompiledDialog& dialog, const SessionState& state,
              const Step& step, triage::v1::Turn* turn) {
  turn->set_dialog_id(dialog.id);
  turn->set_dialog_version(dialog.version);
  turn->set_can_go_back(HasAnswers(state));
  if (step.finished) {
    FillOutcome(dialog, step, turn->mutable_outcome());
  } else {
    FillQuestion(dialog, step, turn->mutable_question());
  }
}

void FillAnswers(const CompiledDialog& dialog, const SessionState& state,
                 triage::v1::Turn* turn) {
  turn->clear_answers();
  // Questions are asked in dialog order, so index order is the order asked.
  for (size_t q = 0; q < state.answers.size(); ++q) {
    if (state.answers[q] == 0) continue;
    const CompiledQuestion& question = dialog.questions[q];
    triage::v1::AnsweredQuestion* answered = turn->add_answers();
    answered->set_question_id(question.id);
    answered->set_question_text(question.text);
    AddOptions(question, state.answers[q], answered->mutable_chosen());
  }
}

std::string NoticeFor(const CompiledDialog& dialog,
                      const CompiledQuestion& question,
                      const MatchResult& result, absl::string_view text) {
  const std::vector<absl::string_view> labels =
      Labels(question, result.options);
  const std::string count = absl::StrCat(question.options.size());
  const std::string options = absl::StrJoin(labels, ", ");
  const dialog::v1::Messages& m = dialog.messages;
  absl::string_view pattern;
  switch (result.kind) {
    case MatchResult::Kind::kAmbiguous:
      pattern = m.ambiguous();
      break;
    case MatchResult::Kind::kExclusiveCombined:
      pattern = m.exclusive_combined();
      break;
    case MatchResult::Kind::kUnsure:
      pattern = m.unsure();
      break;
    default:
      pattern = m.not_understood();
      break;
  }
  return absl::StrReplaceAll(pattern, {{"{answer}", Shortened(text, 80)},
                                       {"{count}", count},
                                       {"{options}", options}});
}

}  // namespace backchat::engine
