#include "service/grpc/reflection_v1_service.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pm::service {
namespace {

namespace rv1 = grpc::reflection::v1;
using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;

void SetError(grpc::StatusCode code, const std::string& message,
              rv1::ServerReflectionResponse& response) {
  rv1::ErrorResponse* error = response.mutable_error_response();
  error->set_error_code(static_cast<int32_t>(code));
  error->set_error_message(message);
}

// `file` and its transitive dependencies, dependencies first, each once.
void AddFileAndDependencies(const FileDescriptor* file,
                            std::set<std::string>& seen,
                            rv1::FileDescriptorResponse& out) {
  if (!seen.insert(file->name()).second) return;
  for (int i = 0; i < file->dependency_count(); ++i) {
    AddFileAndDependencies(file->dependency(i), seen, out);
  }
  google::protobuf::FileDescriptorProto proto;
  file->CopyTo(&proto);
  proto.SerializeToString(out.add_file_descriptor_proto());
}

void AnswerFile(const FileDescriptor* file, const std::string& what,
                rv1::ServerReflectionResponse& response) {
  if (file == nullptr) {
    SetError(grpc::StatusCode::NOT_FOUND, absl::StrCat(what, " not found"),
             response);
    return;
  }
  std::set<std::string> seen;
  AddFileAndDependencies(file, seen,
                         *response.mutable_file_descriptor_response());
}

void AnswerExtensionNumbers(const std::string& type,
                            rv1::ServerReflectionResponse& response) {
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  const Descriptor* descriptor = pool->FindMessageTypeByName(type);
  if (descriptor == nullptr) {
    SetError(grpc::StatusCode::NOT_FOUND,
             absl::StrCat("type '", type, "' not found"), response);
    return;
  }
  std::vector<const FieldDescriptor*> extensions;
  pool->FindAllExtensions(descriptor, &extensions);
  rv1::ExtensionNumberResponse* out =
      response.mutable_all_extension_numbers_response();
  out->set_base_type_name(type);
  for (const FieldDescriptor* e : extensions) out->add_extension_number(e->number());
}

}  // namespace

ReflectionV1Service::ReflectionV1Service(std::vector<std::string> services)
    : services_(std::move(services)) {}

grpc::Status ReflectionV1Service::ServerReflectionInfo(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<rv1::ServerReflectionResponse,
                             rv1::ServerReflectionRequest>* stream) {
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  rv1::ServerReflectionRequest request;
  while (stream->Read(&request)) {
    rv1::ServerReflectionResponse response;
    response.set_valid_host(request.host());
    *response.mutable_original_request() = request;
    switch (request.message_request_case()) {
      case rv1::ServerReflectionRequest::kListServices:
        for (const std::string& name : services_) {
          response.mutable_list_services_response()->add_service()->set_name(
              name);
        }
        break;
      case rv1::ServerReflectionRequest::kFileByFilename:
        AnswerFile(pool->FindFileByName(request.file_by_filename()),
                   absl::StrCat("file '", request.file_by_filename(), "'"),
                   response);
        break;
      case rv1::ServerReflectionRequest::kFileContainingSymbol:
        AnswerFile(
            pool->FindFileContainingSymbol(request.file_containing_symbol()),
            absl::StrCat("symbol '", request.file_containing_symbol(), "'"),
            response);
        break;
      case rv1::ServerReflectionRequest::kFileContainingExtension: {
        const rv1::ExtensionRequest& e = request.file_containing_extension();
        const Descriptor* type =
            pool->FindMessageTypeByName(e.containing_type());
        const FieldDescriptor* extension =
            type == nullptr
                ? nullptr
                : pool->FindExtensionByNumber(type, e.extension_number());
        AnswerFile(extension == nullptr ? nullptr : extension->file(),
                   absl::StrCat("extension ", e.extension_number(), " of '",
                                e.containing_type(), "'"),
                   response);
        break;
      }
      case rv1::ServerReflectionRequest::kAllExtensionNumbersOfType:
        AnswerExtensionNumbers(request.all_extension_numbers_of_type(),
                               response);
        break;
      default:
        SetError(grpc::StatusCode::UNIMPLEMENTED,
                 "the request names no known message_request", response);
    }
    if (!stream->Write(response)) break;
  }
  return grpc::Status::OK;
}

}  // namespace pm::service
