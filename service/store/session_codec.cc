#include "service/store/session_codec.h"

#include "absl/strings/str_cat.h"
#include "backchat/store/v1/session.pb.h"

namespace backchat::store {

namespace sv1 = ::backchat::store::v1;

std::string SessionCodec::Encode(const Session& session) const {
  sv1::StoredSession stored;
  stored.set_id(session.id);
  stored.set_dialog_id(session.dialog->id);
  stored.set_dialog_version(session.dialog->version);
  stored.set_locale(session.dialog->locale);
  stored.set_locale_fallback(session.locale_fallback);
  stored.set_channel(session.channel);
  for (const engine::AnswerIds& answer : engine::AnswersAsIds(*session.dialog, session.state)) {
    sv1::StoredAnswer* a = stored.add_answers();
    a->set_question_id(std::string(answer.question));
    for (absl::string_view option : answer.options) a->add_option_ids(std::string(option));
  }
  if (session.pending_question >= 0) {
    const engine::CompiledQuestion& question = session.dialog->questions[session.pending_question];
    sv1::StoredAnswer* pending = stored.mutable_pending_reading();
    pending->set_question_id(question.id);
    for (size_t o = 0; o < question.options.size(); ++o) {
      if ((session.pending_options >> o) & 1) pending->add_option_ids(question.options[o].id);
    }
  }
  stored.set_created_unix_micros(absl::ToUnixMicros(session.created));
  stored.set_updated_unix_micros(absl::ToUnixMicros(session.updated));
  return stored.SerializeAsString();
}

absl::StatusOr<Session> SessionCodec::Decode(absl::string_view bytes, uint64_t version) const {
  sv1::StoredSession stored;
  if (!stored.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("a stored session could not be read");
  }
  auto bundle = dialogs_->FindVersion(stored.dialog_id(), stored.dialog_version());
  if (!bundle.ok()) bundle = dialogs_->Find(stored.dialog_id());
  if (!bundle.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("this conversation's dialog \"", stored.dialog_id(),
                     "\" is no longer served; please start a new session"));
  }
  Session session;
  session.id = stored.id();
  session.dialog = (*bundle)->ForLocale(stored.locale()).dialog;
  session.locale_fallback = stored.locale_fallback();
  session.channel = stored.channel();
  session.created = absl::FromUnixMicros(stored.created_unix_micros());
  session.updated = absl::FromUnixMicros(stored.updated_unix_micros());
  session.version = version;
  session.state = engine::NewSessionState(*session.dialog);
  const engine::CompiledDialog& dialog = *session.dialog;
  auto changed = [&](const std::string& what) {
    return absl::FailedPreconditionError(
        absl::StrCat("the dialog has changed since this conversation began (", what,
                     " is gone); please start a new session"));
  };
  for (const sv1::StoredAnswer& answer : stored.answers()) {
    const int q = dialog.QuestionIndex(answer.question_id());
    if (q < 0) return changed(absl::StrCat("question \"", answer.question_id(), "\""));
    engine::OptionMask mask = 0;
    for (const std::string& option_id : answer.option_ids()) {
      const int o = dialog.questions[q].OptionIndex(option_id);
      if (o < 0) return changed(absl::StrCat("option \"", option_id, "\""));
      mask |= engine::OptionMask{1} << o;
    }
    if (!engine::ValidateOptions(dialog.questions[q], mask).ok()) {
      return absl::DataLossError("a stored answer is not valid for its question");
    }
    session.state.answers[q] = mask;
  }
  // A pending reading the dialog can no longer read is dropped: the
  // question is simply asked again.
  if (stored.has_pending_reading()) {
    const int q = dialog.QuestionIndex(stored.pending_reading().question_id());
    engine::OptionMask mask = 0;
    bool known = q >= 0;
    for (const std::string& option_id : stored.pending_reading().option_ids()) {
      const int o = known ? dialog.questions[q].OptionIndex(option_id) : -1;
      if (o < 0)
        known = false;
      else
        mask |= engine::OptionMask{1} << o;
    }
    if (known && engine::ValidateOptions(dialog.questions[q], mask).ok()) {
      session.pending_question = q;
      session.pending_options = mask;
    }
  }
  return session;
}

}  // namespace backchat::store
