// grpc.reflection.v1.ServerReflection over the process's generated
// descriptor pool: the same answers as gRPC's v1alpha reflection plugin
// (which is all that Debian 12's gRPC 1.51 ships), under the v1 name that
// current clients (grpcurl, Postman, grpc_cli) try first.
#ifndef PARTNER_MATCH_SERVICE_GRPC_REFLECTION_V1_SERVICE_H_
#define PARTNER_MATCH_SERVICE_GRPC_REFLECTION_V1_SERVICE_H_

#include <string>
#include <vector>

#include "grpc/reflection/v1/reflection.grpc.pb.h"

namespace pm::service {

class ReflectionV1Service final
    : public grpc::reflection::v1::ServerReflection::Service {
 public:
  // `services`: the full names list_services reports, in order.
  explicit ReflectionV1Service(std::vector<std::string> services);

  // Answers each request of the stream in turn: list_services,
  // file_by_filename, file_containing_symbol, file_containing_extension
  // (the file and its transitive dependencies, serialized) and
  // all_extension_numbers_of_type; an unknown name or an empty request gets
  // an error_response (NOT_FOUND or UNIMPLEMENTED) and the stream goes on.
  grpc::Status ServerReflectionInfo(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<grpc::reflection::v1::ServerReflectionResponse,
                               grpc::reflection::v1::ServerReflectionRequest>*
          stream) override;

 private:
  std::vector<std::string> services_;
};

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_GRPC_REFLECTION_V1_SERVICE_H_
