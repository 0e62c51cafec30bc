#include "service/api/questionnaire_archive.h"

#include "absl/strings/str_cat.h"
#include "service/fhir/questionnaire.h"

namespace backchat::api {
namespace {

std::string KeyOf(absl::string_view dialog_id, absl::string_view version) {
  return absl::StrCat(dialog_id, "|", version);
}

}  // namespace

absl::Status QuestionnaireArchive::Keep(absl::string_view dialog_id, absl::string_view version) {
  const std::string key = KeyOf(dialog_id, version);
  {
    absl::MutexLock lock(&mu_);
    if (kept_.contains(key)) return absl::OkStatus();
  }
  auto bundle = dialogs_->FindVersion(dialog_id, version);
  if (!bundle.ok()) return bundle.status();
  const absl::Status kept =
      records_->KeepQuestionnaire(key, fhir::Dump(fhir::DialogQuestionnaire(**bundle)));
  if (!kept.ok()) return kept;  // Tried again with the next record.
  absl::MutexLock lock(&mu_);
  kept_.insert(key);
  return absl::OkStatus();
}

absl::StatusOr<fhir::Json> QuestionnaireArchive::Find(absl::string_view dialog_id,
                                                      absl::string_view version) const {
  auto bundle = dialogs_->FindVersion(dialog_id, version);
  if (bundle.ok()) return fhir::DialogQuestionnaire(**bundle);
  auto kept = records_->FindQuestionnaire(KeyOf(dialog_id, version));
  if (!kept.ok()) return kept.status();
  fhir::Json json = fhir::Json::parse(*kept, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return absl::DataLossError(absl::StrCat("the Questionnaire kept for ",
                                            KeyOf(dialog_id, version), " is not JSON"));
  }
  return json;
}

}  // namespace backchat::api
