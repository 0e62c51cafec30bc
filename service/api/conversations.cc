#include "service/api/conversations.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "service/common/deferred_writes.h"
#include "service/common/quoted.h"
#include "service/common/status_macros.h"
#include "service/engine/answer_matcher.h"
#include "service/engine/engine.h"
#include "service/engine/turn_builder.h"
#include "service/store/session_id.h"
#include "service/common/log_line.h"

namespace backchat::api {

using engine::CompiledDialog;
using engine::CompiledQuestion;
using engine::OptionMask;
using store::Session;
namespace tv1 = ::backchat::triage::v1;

namespace {

void ClearPending(Session* session) {
  session->pending_question = -1;
  session->pending_options = 0;
}

absl::StatusOr<OptionMask> OptionsById(
    const CompiledQuestion& question,
    const google::protobuf::RepeatedPtrField<std::string>& ids) {
  OptionMask mask = 0;
  for (const std::string& id : ids) {
    const int index = question.OptionIndex(id);
    if (index < 0) {
      std::vector<absl::string_view> known;
      for (const auto& option : question.options) known.push_back(option.id);
      return absl::InvalidArgumentError(absl::StrFormat(
          "option_ids: question \"%s\" has no option %s; its options are "
          "%s",
          question.id, Quoted(id), absl::StrJoin(known, ", ")));
    }
    mask |= OptionMask{1} << index;
  }
  return mask;
}

}  // namespace

bool IsWellFormedLocale(absl::string_view tag) {
  if (tag.empty() || tag.size() > 35) return false;
  const std::vector<absl::string_view> parts = absl::StrSplit(tag, '-');
  for (size_t i = 0; i < parts.size(); ++i) {
    const absl::string_view part = parts[i];
    const size_t min = i == 0 ? 2 : 1;
    const size_t max = i == 0 ? 3 : 8;
    if (part.size() < min || part.size() > max) return false;
    for (char c : part) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return false;
      if (i == 0 && !absl::ascii_isalpha(static_cast<unsigned char>(c))) {
        return false;
      }
    }
  }
  return true;
}

Conversations::Conversations(const engine::DialogRegistry* dialogs,
                             store::SessionStore* sessions,
                             records::RecordStore* records,
                             std::function<absl::Time()> clock)
    : dialogs_(dialogs),
      sessions_(sessions),
      records_(records),
      questionnaires_(dialogs, records),
      clock_(std::move(clock)) {}

bool Conversations::ServesFromMemory(const tv1::StartSessionRequest& request) const {
  return !request.has_check_in() &&
         sessions_->ServesFromMemory("", store::SessionStore::Reading::kLoad);
}

bool Conversations::ServesFromMemory(const tv1::SubmitAnswerRequest& request) const {
  // A malformed id is refused before the store is asked.
  return !store::IsWellFormedSessionId(request.session_id()) ||
         sessions_->ServesFromMemory(request.session_id(),
                                     store::SessionStore::Reading::kLoadForUpdate);
}

bool Conversations::ServesFromMemory(absl::string_view session_id) const {
  return !store::IsWellFormedSessionId(session_id) ||
         sessions_->ServesFromMemory(session_id, store::SessionStore::Reading::kLoad);
}

std::string Conversations::Record(const Session& session, const engine::Step& outcome) {
  if (records_ == nullptr) return "";
  const CompiledDialog& dialog = *session.dialog;
  records::TriageRecord record;
  auto id = store::NewSessionId();  // Random, unrelated to the session id.
  if (!id.ok()) return "";
  record.set_record_id(*id);
  record.set_dialog_id(dialog.id);
  record.set_dialog_version(dialog.version);
  record.set_locale(dialog.locale);
  record.set_channel(session.channel);
  for (const engine::AnswerIds& answer : engine::AnswersAsIds(dialog, session.state)) {
    auto* recorded = record.add_answers();
    recorded->set_question_id(std::string(answer.question));
    for (absl::string_view option : answer.options) {
      recorded->add_option_ids(std::string(option));
    }
  }
  record.set_level(outcome.level);
  for (int flag : outcome.fired_flags) record.add_red_flag_ids(dialog.red_flags[flag].id);
  if (outcome.technique_rule >= 0) {
    record.set_technique_id(
        dialog.techniques[dialog.technique_rules[outcome.technique_rule].technique].id);
  }
  if (outcome.frequency_rule >= 0) {
    record.set_frequency_rule_id(dialog.frequency_rules[outcome.frequency_rule].id);
  }
  record.set_started_unix_micros(absl::ToUnixMicros(session.created));
  record.set_finished_unix_micros(absl::ToUnixMicros(session.updated));
  if (absl::Status kept = questionnaires_.Keep(dialog.id, dialog.version); !kept.ok()) {
    LogLine("backchat_server",
            absl::StrCat("the Questionnaire of dialog ", dialog.id, " version ", dialog.version,
                         " was not kept (a FHIR export after a restart will lack it): ",
                         kept.ToString()));
  }
  const absl::Status written = records_->Append(record);
  if (!written.ok()) {
    LogLine("backchat_server", absl::StrCat("a triage record was not written: ", written.ToString()));
    return "";
  }
  return record.record_id();
}

absl::Status Conversations::KeepCheckIn(tv1::CheckIn check_in) {
  if (check_in.record_id().empty()) {
    return absl::InvalidArgumentError("check_in.record_id: required (the earlier Turn.record_id)");
  }
  if (check_in.answer() == tv1::CHECK_IN_ANSWER_UNSPECIFIED ||
      !tv1::CheckInAnswer_IsValid(check_in.answer())) {
    return absl::InvalidArgumentError(
        "check_in.answer: must be BETTER, SAME, WORSE or NEW_SYMPTOMS");
  }
  if (records_ == nullptr) {
    return absl::FailedPreconditionError("check_in: this server keeps no triage records");
  }
  check_in.set_answered_unix_micros(absl::ToUnixMicros(clock_()));
  return CountStoreError(records_->AddCheckIn(check_in));
}

engine::Step Conversations::BuildTurn(const Session& session,
                                      absl::string_view notice,
                                      tv1::Turn* turn) const {
  const CompiledDialog& dialog = *session.dialog;
  turn->Clear();
  turn->set_session_id(session.id);
  turn->set_locale(session.dialog->locale);
  turn->set_locale_fallback(session.locale_fallback);
  turn->set_notice(std::string(notice));
  const engine::Step step = engine::NextStep(dialog, session.state);
  engine::FillTurn(dialog, session.state, step, turn);
  if (!step.finished && session.pending_question == step.question) {
    engine::FillConfirmation(dialog, dialog.questions[step.question],
                             session.pending_options, turn);
  }
  if (step.finished) {
    engine::FillAnswers(dialog, session.state, turn);
    if (care_ != nullptr) {
      care_->AddActions(session.requested_locale.empty()
                            ? absl::string_view(dialog.locale)
                            : absl::string_view(session.requested_locale),
                        dialog.messages, turn->mutable_outcome());
    }
  }
  return step;
}

absl::Status Conversations::CountStoreError(absl::Status status) {
  if (metrics_ != nullptr &&
      (absl::IsUnavailable(status) || absl::IsInternal(status) || absl::IsDataLoss(status) ||
       absl::IsDeadlineExceeded(status) || absl::IsUnknown(status))) {
    metrics_->StoreError();
  }
  return status;
}

absl::StatusOr<Session> Conversations::LoadSession(absl::string_view id,
                                                    Freshness freshness) {
  if (id.empty()) {
    return absl::InvalidArgumentError("session_id: required");
  }
  if (!store::IsWellFormedSessionId(id)) {
    return absl::InvalidArgumentError(
        "session_id: must be the 32 hexadecimal characters StartSession "
        "returned");
  }
  absl::StatusOr<Session> session = freshness == Freshness::kCopyToChange
                                        ? sessions_->LoadForUpdate(id)
                                        : sessions_->Load(id);
  // Counted here; the caller returns the error itself.
  if (!session.ok()) CountStoreError(session.status()).IgnoreError();
  return session;
}

absl::Status Conversations::Save(Session* session) {
  session->updated = clock_();
  return CountStoreError(sessions_->Update(session));
}

absl::Status Conversations::Start(const tv1::StartSessionRequest& request,
                                  tv1::Turn* turn) {
  if (!request.locale().empty() && !IsWellFormedLocale(request.locale())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "locale: ", Quoted(request.locale()),
        " is not a BCP-47 language tag such as \"en\" or \"es-MX\""));
  }
  if (!tv1::Channel_IsValid(request.channel())) {
    return absl::InvalidArgumentError("channel: unknown channel");
  }
  BACKCHAT_ASSIGN_OR_RETURN(auto bundle, dialogs_->Find(request.dialog_id()));
  if (request.has_check_in()) {
    BACKCHAT_RETURN_IF_ERROR(KeepCheckIn(request.check_in()));
    const tv1::CheckInAnswer answer = request.check_in().answer();
    if (answer == tv1::CHECK_IN_ANSWER_BETTER || answer == tv1::CHECK_IN_ANSWER_SAME) {
      turn->Clear();  // Nothing to ask: no new check.
      return absl::OkStatus();
    }
  }
  engine::DialogBundle::Choice language = bundle->ForLocale(request.locale());
  Session session;
  BACKCHAT_ASSIGN_OR_RETURN(session.id, store::NewSessionId());
  session.locale_fallback = language.fallback;
  session.requested_locale = request.locale();
  session.channel = request.channel();
  session.state = engine::NewSessionState(*language.dialog);
  session.dialog = std::move(language.dialog);
  session.created = session.updated = clock_();
  BACKCHAT_RETURN_IF_ERROR(CountStoreError(sessions_->Create(session)));
  if (metrics_ != nullptr) {
    DeferredWrites::AfterSaved([metrics = metrics_] { metrics->ConversationStarted(); });
  }
  dashboard_.Started(session, BuildTurn(session, "", turn));
  return absl::OkStatus();
}

absl::Status Conversations::Answer(const tv1::SubmitAnswerRequest& request,
                                   tv1::Turn* turn) {
  const bool by_options = request.option_ids_size() > 0;
  const bool by_text = !request.text().empty();
  const bool by_reply =
      request.confirmation() != tv1::CONFIRMATION_REPLY_UNSPECIFIED;
  if (by_options + by_text + by_reply != 1) {
    return absl::InvalidArgumentError(
        "set exactly one of option_ids, text and confirmation");
  }
  if (!tv1::ConfirmationReply_IsValid(request.confirmation())) {
    return absl::InvalidArgumentError(
        "confirmation: must be CONFIRMATION_REPLY_ACCEPT or "
        "CONFIRMATION_REPLY_REFUSE");
  }
  if (request.text().size() > kMaxAnswerTextBytes) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "text: longer than %d bytes; please answer briefly",
        kMaxAnswerTextBytes));
  }
  BACKCHAT_ASSIGN_OR_RETURN(Session session,
                            LoadSession(request.session_id(), Freshness::kCopyToChange));
  const bool maybe_stale = session.maybe_stale;
  absl::Status answered = AnswerSession(request, std::move(session), turn);
  // The cached copy may be older than the stored session (another server
  // moved it on): its save was ABORTED, or the request did not fit it (the
  // question_id of a later question). Then answer on the stored session, as
  // if the request came now: these failures wrote and counted nothing. A
  // store failure is returned as it is, as its write may have been applied
  // (a lost reply) and answering again could apply the answer twice.
  const bool nothing_written = absl::IsAborted(answered) ||
                               absl::IsFailedPrecondition(answered) ||
                               absl::IsInvalidArgument(answered);
  if (!maybe_stale || !nothing_written) return answered;
  // Reading the stored session may wait: inside a DeferredWrites scope the
  // call is run again outside one instead.
  if (DeferredWrites::Active()) return DeferredWrites::RunAgain(std::move(answered));
  turn->Clear();
  BACKCHAT_ASSIGN_OR_RETURN(session, LoadSession(request.session_id()));
  return AnswerSession(request, std::move(session), turn);
}

absl::Status Conversations::AnswerSession(const tv1::SubmitAnswerRequest& request,
                                          Session session, tv1::Turn* turn) {
  const bool by_options = request.option_ids_size() > 0;
  const bool by_text = !request.text().empty();
  const bool by_reply =
      request.confirmation() != tv1::CONFIRMATION_REPLY_UNSPECIFIED;
  const CompiledDialog& dialog = *session.dialog;
  const engine::Step step = engine::NextStep(dialog, session.state);
  if (step.finished) {
    return absl::FailedPreconditionError(
        "the conversation has finished; go back, restart, or start a new "
        "session");
  }
  const CompiledQuestion& question = dialog.questions[step.question];
  if (!request.question_id().empty() && request.question_id() != question.id) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "question_id: %s is not the current question; the current "
        "question is \"%s\" (fetch the session and answer that)",
        Quoted(request.question_id()), question.id));
  }

  // A reply to a proposed reading: by the field, or a yes or no word typed
  // while one is pending. Other text while one is pending is a new answer.
  const bool pending = session.pending_question == step.question;
  engine::ConfirmationWord reply = engine::ConfirmationWord::kOther;
  if (by_reply) {
    if (!pending) {
      return absl::FailedPreconditionError(
          "confirmation: no reading of a typed answer is waiting to be "
          "confirmed; answer the question");
    }
    reply = request.confirmation() == tv1::CONFIRMATION_REPLY_ACCEPT
                ? engine::ConfirmationWord::kAccept
                : engine::ConfirmationWord::kRefuse;
  } else if (by_text && pending) {
    reply = engine::ReadConfirmationWord(dialog.vocabulary, request.text());
  }
  if (reply == engine::ConfirmationWord::kRefuse) {
    ClearPending(&session);
    BACKCHAT_RETURN_IF_ERROR(Save(&session));
    BuildTurn(session, dialog.messages.confirm_refused(), turn);
    dashboard_.TypedAnswer(session, step.question, DashboardCounts::Typed::kAskedAgain);
    return absl::OkStatus();
  }

  OptionMask options = 0;
  bool typed = false;
  if (reply == engine::ConfirmationWord::kAccept) {
    options = session.pending_options;
    typed = true;
  } else if (by_options) {
    BACKCHAT_ASSIGN_OR_RETURN(options,
                              OptionsById(question, request.option_ids()));
  } else {
    const engine::MatchResult match =
        engine::MatchAnswer(question, dialog.vocabulary, request.text());
    if (match.kind == engine::MatchResult::Kind::kConfirm) {
      session.pending_question = step.question;
      session.pending_options = match.options;
      BACKCHAT_RETURN_IF_ERROR(Save(&session));
      BuildTurn(session, "", turn);
      return absl::OkStatus();
    }
    if (match.kind != engine::MatchResult::Kind::kMatched) {
      if (pending) {
        ClearPending(&session);
        BACKCHAT_RETURN_IF_ERROR(Save(&session));
      }
      BuildTurn(session,
                engine::NoticeFor(dialog, question, match, request.text()),
                turn);
      dashboard_.TypedAnswer(session, step.question, DashboardCounts::Typed::kAskedAgain);
      return absl::OkStatus();
    }
    options = match.options;
    typed = true;
  }
  ClearPending(&session);
  BACKCHAT_RETURN_IF_ERROR(engine::ApplyAnswerAt(dialog, step, step.question,
                                                 options, &session.state));
  BACKCHAT_RETURN_IF_ERROR(Save(&session));
  const engine::Step next = BuildTurn(session, "", turn);
  if (typed) engine::FillReadBack(dialog, question, options, turn);
  if (metrics_ != nullptr) {
    DeferredWrites::AfterSaved(
        [metrics = metrics_, finished = next.finished, level = turn->outcome().level()] {
          metrics->Turn();
          if (finished) metrics->ConversationFinished(level);
        });
  }
  if (next.finished) turn->set_record_id(Record(session, next));
  if (typed) {
    dashboard_.TypedAnswer(session, step.question,
                           reply == engine::ConfirmationWord::kAccept
                               ? DashboardCounts::Typed::kConfirmed
                               : DashboardCounts::Typed::kAccepted);
  }
  dashboard_.Moved(session, step, next, /*forward=*/true, *turn);
  return absl::OkStatus();
}

absl::Status Conversations::Get(const tv1::GetSessionRequest& request,
                                tv1::Turn* turn) {
  BACKCHAT_ASSIGN_OR_RETURN(Session session, LoadSession(request.session_id()));
  // The whole conversation so far, to show it again (an outcome has it).
  if (!BuildTurn(session, "", turn).finished) {
    engine::FillAnswers(*session.dialog, session.state, turn);
  }
  return absl::OkStatus();
}

absl::Status Conversations::GoBack(const tv1::GoBackRequest& request,
                                   tv1::Turn* turn) {
  BACKCHAT_ASSIGN_OR_RETURN(Session session, LoadSession(request.session_id()));
  const engine::Step before = engine::NextStep(*session.dialog, session.state);
  BACKCHAT_RETURN_IF_ERROR(engine::GoBack(&session.state));
  ClearPending(&session);
  BACKCHAT_RETURN_IF_ERROR(Save(&session));
  dashboard_.Moved(session, before, BuildTurn(session, "", turn), /*forward=*/false, *turn);
  return absl::OkStatus();
}

absl::Status Conversations::Restart(const tv1::RestartSessionRequest& request,
                                    tv1::Turn* turn) {
  BACKCHAT_ASSIGN_OR_RETURN(Session session, LoadSession(request.session_id()));
  const engine::Step before = engine::NextStep(*session.dialog, session.state);
  session.state = engine::NewSessionState(*session.dialog);
  ClearPending(&session);
  BACKCHAT_RETURN_IF_ERROR(Save(&session));
  dashboard_.Moved(session, before, BuildTurn(session, "", turn), /*forward=*/false, *turn);
  return absl::OkStatus();
}

}  // namespace backchat::api
