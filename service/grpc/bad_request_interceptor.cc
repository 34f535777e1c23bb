#include "service/grpc/bad_request_interceptor.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace pm::service {
namespace {

using grpc::experimental::InterceptionHookPoints;

// "the request is not a valid partnermatch.v1.GetProfileRequest: ..." for
// the method "/partnermatch.v1.PartnerMatch/GetProfile".
std::string Problem(const std::string& method) {
  std::string name = method.empty() ? method : method.substr(1);
  for (char& c : name) c = c == '/' ? '.' : c;
  const google::protobuf::MethodDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          name);
  return absl::StrCat(
      "the request is not a valid ",
      descriptor != nullptr ? descriptor->input_type()->full_name()
                            : std::string("request message"),
      ": malformed protocol buffer, or a string field that is not valid "
      "UTF-8");
}

class BadRequestInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit BadRequestInterceptor(const char* method)
      : method_(method == nullptr ? "" : method) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    // The server hands interceptors a null message when it could not parse
    // the request.
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparsable_ = true;
    }
    if (unparsable_ && methods->QueryInterceptionHookPoint(
                           InterceptionHookPoints::PRE_SEND_STATUS)) {
      methods->ModifySendStatus(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, Problem(method_)));
    }
    methods->Proceed();
  }

 private:
  const std::string method_;
  bool unparsable_ = false;
};

}  // namespace

grpc::experimental::Interceptor*
BadRequestInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  // In a stream, a null message is also its normal end.
  if (info->type() != grpc::experimental::ServerRpcInfo::Type::UNARY) {
    return nullptr;
  }
  return new BadRequestInterceptor(info->method());
}

}  // namespace pm::service
