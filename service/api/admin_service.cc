#include "service/api/admin_service.h"

#include "service/api/triage_service.h"
#include "service/records/record_export.h"

namespace backchat::api {

namespace av1 = ::backchat::admin::v1;

void DescribeDialogs(const engine::DialogRegistry& dialogs,
                     google::protobuf::RepeatedPtrField<av1::DialogInfo>* out) {
  for (const auto& bundle : dialogs.All()) {
    av1::DialogInfo* info = out->Add();
    info->set_id(bundle->id());
    info->set_version(bundle->version());
    for (const auto& language : bundle->Languages()) {
      info->add_locales(language->locale);
    }
    info->set_question_count(static_cast<int>(bundle->base().questions.size()));
    info->set_red_flag_count(static_cast<int>(bundle->base().red_flags.size()));
    info->set_check_summary(bundle->check_report().Summary());
  }
}

grpc::ServerUnaryReactor* AdminService::ReloadDialogs(
    grpc::CallbackServerContext* context, const av1::ReloadDialogsRequest*,
    av1::ReloadDialogsResponse* response) {
  const absl::Status status = dialogs_->Reload();
  if (status.ok()) DescribeDialogs(*dialogs_, response->mutable_dialogs());
  return FinishWith(context, status);
}

grpc::ServerUnaryReactor* AdminService::ListDialogs(
    grpc::CallbackServerContext* context, const av1::ListDialogsRequest*,
    av1::ListDialogsResponse* response) {
  DescribeDialogs(*dialogs_, response->mutable_dialogs());
  return FinishWith(context, absl::OkStatus());
}

namespace {

absl::Status NoRecords() {
  return absl::FailedPreconditionError("this server keeps no triage records");
}

}  // namespace

grpc::ServerUnaryReactor* AdminService::ListRecords(
    grpc::CallbackServerContext* context, const av1::ListRecordsRequest* request,
    av1::ListRecordsResponse* response) {
  if (records_ == nullptr) return FinishWith(context, NoRecords());
  if (request->page_size() < 0 || request->page_size() > 1000) {
    return FinishWith(context, absl::InvalidArgumentError("page_size: must be 0 to 1000"));
  }
  auto records = records_->List(absl::FromUnixMicros(request->finished_since_unix_micros()),
                                request->page_size() == 0 ? 100 : request->page_size());
  if (!records.ok()) return FinishWith(context, records.status());
  for (auto& record : *records) *response->add_records() = std::move(record);
  return FinishWith(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* AdminService::ExportRecords(
    grpc::CallbackServerContext* context, const av1::ExportRecordsRequest* request,
    av1::ExportRecordsResponse* response) {
  if (records_ == nullptr) return FinishWith(context, NoRecords());
  if (request->format() != av1::EXPORT_FORMAT_JSON_LINES &&
      request->format() != av1::EXPORT_FORMAT_FHIR_R4) {
    return FinishWith(context, absl::InvalidArgumentError(
                             "format: EXPORT_FORMAT_JSON_LINES or EXPORT_FORMAT_FHIR_R4"));
  }
  auto records = records_->List(
      absl::FromUnixMicros(request->finished_since_unix_micros()), 0);
  if (!records.ok()) return FinishWith(context, records.status());
  if (request->format() == av1::EXPORT_FORMAT_JSON_LINES) {
    response->set_content_type("application/x-ndjson");
    response->set_data(records::RecordsAsJsonLines(*records));
  } else {
    response->set_content_type("application/fhir+json");
    response->set_data(records::RecordsAsFhirBundle(*records, *dialogs_));
  }
  response->set_record_count(static_cast<int>(records->size()));
  return FinishWith(context, absl::OkStatus());
}

}  // namespace backchat::api
