#include "service/api/admin_service.h"

#include <algorithm>

#include "service/api/questionnaire_archive.h"
#include "service/api/triage_service.h"
#include "service/common/log_line.h"
#include "service/fhir/record_bundle.h"
#include "service/records/record_export.h"

namespace backchat::api {

namespace av1 = ::backchat::admin::v1;

void DescribeDialogs(const engine::DialogRegistry& dialogs, const DialogApprovals* approvals,
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
    if (approvals == nullptr) continue;
    if (auto approval = approvals->Find(bundle->id(), bundle->version())) {
      info->set_approved_by(approval->approver());
      info->set_approver_role(approval->role());
      info->set_approved_on(approval->date());
    }
  }
}

absl::Status AdminService::Authorize(grpc::CallbackServerContext* context,
                                     absl::string_view scope) const {
  if (guards_->admin_requires_client_cert &&
      (context->auth_context() == nullptr || !context->auth_context()->IsPeerAuthenticated())) {
    return absl::UnauthenticatedError(
        "admin calls need a verified TLS client certificate (--admin_require_client_cert)");
  }
  const auto& metadata = context->client_metadata();
  const auto found = metadata.find("authorization");
  const absl::string_view authorization =
      found == metadata.end() ? absl::string_view()
                              : absl::string_view(found->second.data(), found->second.size());
  return guards_->AuthorizeAdmin(authorization, scope).status();
}

grpc::ServerUnaryReactor* AdminService::ReloadDialogs(
    grpc::CallbackServerContext* context, const av1::ReloadDialogsRequest*,
    av1::ReloadDialogsResponse* response) {
  if (absl::Status denied = Authorize(context, "dialogs"); !denied.ok()) {
    return FinishWith(context, denied);
  }
  const absl::Status status = dialogs_->Reload();
  if (status.ok()) DescribeDialogs(*dialogs_, approvals_, response->mutable_dialogs());
  return FinishWith(context, status);
}

grpc::ServerUnaryReactor* AdminService::ListDialogs(
    grpc::CallbackServerContext* context, const av1::ListDialogsRequest*,
    av1::ListDialogsResponse* response) {
  if (absl::Status denied = Authorize(context, "dialogs"); !denied.ok()) {
    return FinishWith(context, denied);
  }
  DescribeDialogs(*dialogs_, approvals_, response->mutable_dialogs());
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
  if (absl::Status denied = Authorize(context, "records"); !denied.ok()) {
    return FinishWith(context, denied);
  }
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

namespace {

// Streams an exported file in chunks; deletes itself when the call is done.
class ExportWriter final : public grpc::ServerWriteReactor<av1::ExportRecordsResponse> {
 public:
  static constexpr size_t kChunkBytes = 1 << 20;

  // Writes `data` (after a first chunk naming the type and count), or
  // finishes at once with `error` if it is not OK.
  ExportWriter(const absl::Status& error, std::string content_type, std::string data,
               int record_count)
      : data_(std::move(data)) {
    if (!error.ok()) {
      Finish(ToGrpcStatus(error));
      return;
    }
    response_.set_content_type(std::move(content_type));
    response_.set_record_count(record_count);
    WriteNext();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      return;
    }
    response_.Clear();
    if (offset_ >= data_.size()) {
      Finish(grpc::Status::OK);
      return;
    }
    WriteNext();
  }

  void OnDone() override { delete this; }

 private:
  void WriteNext() {
    const size_t size = std::min(kChunkBytes, data_.size() - offset_);
    response_.set_data(data_.substr(offset_, size));
    offset_ += size;
    StartWrite(&response_);
  }

  const std::string data_;
  size_t offset_ = 0;
  av1::ExportRecordsResponse response_;
};

}  // namespace

grpc::ServerWriteReactor<av1::ExportRecordsResponse>* AdminService::ExportRecords(
    grpc::CallbackServerContext* context, const av1::ExportRecordsRequest* request) {
  if (absl::Status denied = Authorize(context, "records"); !denied.ok()) {
    return new ExportWriter(denied, "", "", 0);
  }
  if (records_ == nullptr) return new ExportWriter(NoRecords(), "", "", 0);
  if (request->format() != av1::EXPORT_FORMAT_JSON_LINES &&
      request->format() != av1::EXPORT_FORMAT_FHIR_R4) {
    return new ExportWriter(
        absl::InvalidArgumentError(
            "format: EXPORT_FORMAT_JSON_LINES or EXPORT_FORMAT_FHIR_R4"),
        "", "", 0);
  }
  auto records = records_->List(
      absl::FromUnixMicros(request->finished_since_unix_micros()), 0);
  if (!records.ok()) return new ExportWriter(records.status(), "", "", 0);
  const bool json_lines = request->format() == av1::EXPORT_FORMAT_JSON_LINES;
  if (json_lines) {
    return new ExportWriter(absl::OkStatus(), "application/x-ndjson",
                            records::RecordsAsJsonLines(*records),
                            static_cast<int>(records->size()));
  }
  const QuestionnaireArchive questionnaires(dialogs_, records_);
  int missing = 0;
  std::string bundle = fhir::RecordsAsFhirBundle(
      *records,
      [&](absl::string_view id, absl::string_view version) {
        return questionnaires.Find(id, version);
      },
      &missing);
  if (missing > 0) {
    LogLine("backchat_server",
            absl::StrCat("FHIR export: ", missing,
                         " dialog version(s) cited by records are known neither to this process "
                         "nor to the record store; their responses carry codes without displays"));
  }
  return new ExportWriter(absl::OkStatus(), "application/fhir+json", std::move(bundle),
                          static_cast<int>(records->size()));
}

grpc::ServerUnaryReactor* AdminService::DeleteSession(grpc::CallbackServerContext* context,
                                                      const av1::DeleteSessionRequest* request,
                                                      av1::DeleteSessionResponse*) {
  if (absl::Status denied = Authorize(context, "privacy"); !denied.ok()) {
    return FinishWith(context, denied);
  }
  if (request->session_id().empty()) {
    return FinishWith(context, absl::InvalidArgumentError("session_id: required"));
  }
  return FinishWith(context, sessions_->Delete(request->session_id()));
}

grpc::ServerUnaryReactor* AdminService::DeleteRecord(grpc::CallbackServerContext* context,
                                                     const av1::DeleteRecordRequest* request,
                                                     av1::DeleteRecordResponse*) {
  if (absl::Status denied = Authorize(context, "privacy"); !denied.ok()) {
    return FinishWith(context, denied);
  }
  if (records_ == nullptr) return FinishWith(context, NoRecords());
  if (request->record_id().empty()) {
    return FinishWith(context, absl::InvalidArgumentError("record_id: required"));
  }
  return FinishWith(context, records_->Delete(request->record_id()));
}

grpc::ServerUnaryReactor* AdminService::GetReport(grpc::CallbackServerContext* context,
                                                  const av1::GetReportRequest* request,
                                                  av1::GetReportResponse* response) {
  const AdminRpc& rpc = *FindAdminRpc(
      absl::StrCat("/", av1::AdminService::service_full_name(), "/GetReport"));
  if (absl::Status denied = Authorize(context, rpc.scope); !denied.ok()) {
    return FinishWith(context, denied);
  }
  if (calls_ == nullptr) {
    return FinishWith(context,
                      absl::FailedPreconditionError("this server keeps no dashboard counts"));
  }
  return FinishWith(context, rpc.call(*calls_, *request, response));
}

}  // namespace backchat::api
