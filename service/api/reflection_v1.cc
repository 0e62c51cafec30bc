#include "service/api/reflection_v1.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "service/common/quoted.h"

namespace backchat::api {
namespace {

namespace rv1 = ::grpc::reflection::v1;
using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;

void SetError(grpc::StatusCode code, const std::string& message,
              rv1::ServerReflectionResponse* response) {
  response->mutable_error_response()->set_error_code(static_cast<int>(code));
  response->mutable_error_response()->set_error_message(message);
}

// `file` and every file it imports, each once, dependencies first.
void AddWithDependencies(const FileDescriptor* file, std::set<std::string>* seen,
                         rv1::FileDescriptorResponse* out) {
  if (!seen->insert(file->name()).second) return;
  for (int i = 0; i < file->dependency_count(); ++i) {
    AddWithDependencies(file->dependency(i), seen, out);
  }
  google::protobuf::FileDescriptorProto proto;
  file->CopyTo(&proto);
  proto.SerializeToString(out->add_file_descriptor_proto());
}

void AnswerWithFile(const FileDescriptor* file, const std::string& what,
                    rv1::ServerReflectionResponse* response) {
  if (file == nullptr) {
    SetError(grpc::StatusCode::NOT_FOUND, absl::StrCat(what, " not found"), response);
    return;
  }
  std::set<std::string> seen;
  AddWithDependencies(file, &seen, response->mutable_file_descriptor_response());
}

// One stream: a reply to each request, in order, until the client is done.
class InfoReactor final
    : public grpc::ServerBidiReactor<rv1::ServerReflectionRequest, rv1::ServerReflectionResponse> {
 public:
  explicit InfoReactor(const ReflectionV1Service* service) : service_(service) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    response_ = service_->Answer(request_);
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::UNKNOWN, "the reply could not be written"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  const ReflectionV1Service* service_;
  rv1::ServerReflectionRequest request_;
  rv1::ServerReflectionResponse response_;
};

}  // namespace

grpc::ServerBidiReactor<rv1::ServerReflectionRequest, rv1::ServerReflectionResponse>*
ReflectionV1Service::ServerReflectionInfo(grpc::CallbackServerContext* /*context*/) {
  return new InfoReactor(this);
}

rv1::ServerReflectionResponse ReflectionV1Service::Answer(
    const rv1::ServerReflectionRequest& request) const {
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  rv1::ServerReflectionResponse response;
  response.set_valid_host(request.host());
  *response.mutable_original_request() = request;
  switch (request.message_request_case()) {
    case rv1::ServerReflectionRequest::kListServices:
      for (const std::string& name : services_) {
        response.mutable_list_services_response()->add_service()->set_name(name);
      }
      break;
    case rv1::ServerReflectionRequest::kFileByFilename:
      AnswerWithFile(pool->FindFileByName(request.file_by_filename()),
                     absl::StrCat("file ", Quoted(request.file_by_filename())), &response);
      break;
    case rv1::ServerReflectionRequest::kFileContainingSymbol:
      AnswerWithFile(pool->FindFileContainingSymbol(request.file_containing_symbol()),
                     absl::StrCat("symbol ", Quoted(request.file_containing_symbol())),
                     &response);
      break;
    case rv1::ServerReflectionRequest::kFileContainingExtension: {
      const auto& wanted = request.file_containing_extension();
      const auto* type = pool->FindMessageTypeByName(wanted.containing_type());
      const auto* extension =
          type == nullptr ? nullptr : pool->FindExtensionByNumber(type, wanted.extension_number());
      AnswerWithFile(extension == nullptr ? nullptr : extension->file(),
                     absl::StrCat("extension ", wanted.extension_number(), " of ",
                                  Quoted(wanted.containing_type())),
                     &response);
      break;
    }
    case rv1::ServerReflectionRequest::kAllExtensionNumbersOfType: {
      const auto* type = pool->FindMessageTypeByName(request.all_extension_numbers_of_type());
      if (type == nullptr) {
        SetError(grpc::StatusCode::NOT_FOUND,
                 absl::StrCat("type ", Quoted(request.all_extension_numbers_of_type()), " not found"),
                 &response);
        break;
      }
      std::vector<const google::protobuf::FieldDescriptor*> extensions;
      pool->FindAllExtensions(type, &extensions);
      auto* numbers = response.mutable_all_extension_numbers_response();
      numbers->set_base_type_name(type->full_name());
      for (const auto* extension : extensions) numbers->add_extension_number(extension->number());
      break;
    }
    case rv1::ServerReflectionRequest::MESSAGE_REQUEST_NOT_SET:
      SetError(grpc::StatusCode::INVALID_ARGUMENT, "the request names nothing to look up",
               &response);
      break;
  }
  return response;
}

}  // namespace backchat::api
