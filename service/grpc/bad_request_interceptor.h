// A request gRPC cannot parse (malformed protocol buffer, or a string field
// that is not valid UTF-8) reaches no handler; gRPC answers it with INTERNAL
// and an empty message. This server interceptor turns that answer into
// INVALID_ARGUMENT naming the expected message type, for every service of
// the server's unary methods.
#ifndef PARTNER_MATCH_SERVICE_GRPC_BAD_REQUEST_INTERCEPTOR_H_
#define PARTNER_MATCH_SERVICE_GRPC_BAD_REQUEST_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

namespace pm::service {

class BadRequestInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_GRPC_BAD_REQUEST_INTERCEPTOR_H_
