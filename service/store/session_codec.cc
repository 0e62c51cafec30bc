#include "service/store/session_codec.h"

#include "absl/strings/str_cat.h"
#include "backchat/store/v1/session.pb.h"

namespace backchat::store {

namespace sv1 = ::backchat::store::v1;

namespace {

// `question_id` and the options in `options`, as StoredAnswer keeps them.
void SetStoredAnswer(absl::string_view question_id,
                     const std::vector<absl::string_view>& option_ids, sv1::StoredAnswer* out) {
  out->set_question_id(std::string(question_id));
  for (absl::string_view option : option_ids) out->add_option_ids(std::string(option));
}

// A stored answer as (question index, options) of `dialog`.
// FAILED_PRECONDITION naming what the dialog no longer has; DATA_LOSS if the
// options are not a valid answer to the question.
absl::StatusOr<std::pair<int, engine::OptionMask>> ReadStoredAnswer(
    const engine::CompiledDialog& dialog, const sv1::StoredAnswer& answer) {
  auto changed = [&](const std::string& what) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the dialog has changed since this conversation began (", what,
        " is gone); please start a new session"));
  };
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
  return std::make_pair(q, mask);
}

}  // namespace

std::string SessionCodec::Encode(const Session& session) const {
  sv1::StoredSession stored;
  stored.set_id(session.id);
  stored.set_dialog_id(session.dialog->id);
  stored.set_dialog_version(session.dialog->version);
  stored.set_locale(session.dialog->locale);
  stored.set_locale_fallback(session.locale_fallback);
  stored.set_requested_locale(session.requested_locale);
  stored.set_channel(session.channel);
  for (const engine::AnswerIds& answer :
       engine::AnswersAsIds(*session.dialog, session.state)) {
    SetStoredAnswer(answer.question, answer.options, stored.add_answers());
  }
  if (session.pending_question >= 0) {
    const engine::CompiledQuestion& question = session.dialog->questions[session.pending_question];
    SetStoredAnswer(question.id, question.OptionIds(session.pending_options),
                    stored.mutable_pending_reading());
  }
  stored.set_created_unix_micros(absl::ToUnixMicros(session.created));
  stored.set_updated_unix_micros(absl::ToUnixMicros(session.updated));
  return stored.SerializeAsString();
}

absl::StatusOr<Session> SessionCodec::Decode(absl::string_view bytes,
                                             uint64_t version) const {
  sv1::StoredSession stored;
  if (!stored.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("a stored session could not be read");
  }
  auto bundle = dialogs_->FindVersion(stored.dialog_id(), stored.dialog_version());
  if (!bundle.ok()) bundle = dialogs_->Find(stored.dialog_id());
  if (!bundle.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this conversation's dialog \"", stored.dialog_id(),
        "\" is no longer served; please start a new session"));
  }
  Session session;
  session.id = stored.id();
  session.dialog = (*bundle)->ForLocale(stored.locale()).dialog;
  session.locale_fallback = stored.locale_fallback();
  session.requested_locale = stored.requested_locale();
  session.channel = stored.channel();
  session.created = absl::FromUnixMicros(stored.created_unix_micros());
  session.updated = absl::FromUnixMicros(stored.updated_unix_micros());
  session.version = version;
  session.state = engine::NewSessionState(*session.dialog);
  const engine::CompiledDialog& dialog = *session.dialog;
  for (const sv1::StoredAnswer& answer : stored.answers()) {
    auto read = ReadStoredAnswer(dialog, answer);
    if (!read.ok()) return read.status();
    session.state.answers[read->first] = read->second;
  }
  // A pending reading the dialog can no longer read is dropped: the
  // question is simply asked again.
  if (stored.has_pending_reading()) {
    if (auto read = ReadStoredAnswer(dialog, stored.pending_reading()); read.ok()) {
      session.pending_question = read->first;
      session.pending_options = read->second;
    }
  }
  return session;
}

}  // namespace backchat::store
