// PartnerMatchServer over a real socket: one server per address (no port
// reuse), and the v1 reflection service, called through stubs generated from
// proto/grpc/reflection/v1/reflection.proto as a current client would.
#include <google/protobuf/descriptor.pb.h>
#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "engine/catalog/profile_catalog.h"
#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "service/grpc/server.h"

namespace pm::service {
namespace {

namespace rv1 = ::grpc::reflection::v1;
using ::testing::Contains;
using ::testing::HasSubstr;

std::unique_ptr<ProfileCatalog> SmallCatalog() {
  Profile p;
  p.id = "lugo";
  p.name = "Lugo";
  p.kind = PlaceKind::kCity;
  p.country = "ES";
  p.text = "Lugo has experience in sustainable tourism.";
  auto catalog = ProfileCatalog::InMemory({p});
  EXPECT_TRUE(catalog.ok()) << catalog.status();
  return catalog.ok() ? *std::move(catalog) : nullptr;
}

TEST(PartnerMatchServerTest, RefusesAPortAnotherServerListensOn) {
  auto catalog = SmallCatalog();
  ASSERT_NE(catalog, nullptr);
  auto first = PartnerMatchServer::Start(*catalog, "127.0.0.1:0");
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string address =
      "127.0.0.1:" + std::to_string((*first)->port());
  auto second = PartnerMatchServer::Start(*catalog, address);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr(address));
  EXPECT_THAT(second.status().message(), HasSubstr("listens on it already"));
}

class ReflectionV1Test : public ::testing::Test {
 protected:
  void SetUp() override {
    catalog_ = SmallCatalog();
    ASSERT_NE(catalog_, nullptr);
    auto server = PartnerMatchServer::Start(*catalog_, "127.0.0.1:0");
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    stub_ = rv1::ServerReflection::NewStub(grpc::CreateChannel(
        "127.0.0.1:" + std::to_string(server_->port()),
        grpc::InsecureChannelCredentials()));
  }

  // Sends each request on one stream; the responses in order.
  std::vector<rv1::ServerReflectionResponse> Ask(
      const std::vector<rv1::ServerReflectionRequest>& requests) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    auto stream = stub_->ServerReflectionInfo(&context);
    std::vector<rv1::ServerReflectionResponse> responses;
    for (const rv1::ServerReflectionRequest& request : requests) {
      EXPECT_TRUE(stream->Write(request));
      rv1::ServerReflectionResponse response;
      EXPECT_TRUE(stream->Read(&response));
      responses.push_back(response);
    }
    stream->WritesDone();
    const grpc::Status status = stream->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    return responses;
  }

  std::unique_ptr<ProfileCatalog> catalog_;
  std::unique_ptr<PartnerMatchServer> server_;
  std::unique_ptr<rv1::ServerReflection::Stub> stub_;
};

TEST_F(ReflectionV1Test, ListsThePartnerMatchService) {
  rv1::ServerReflectionRequest request;
  request.set_list_services("*");
  auto responses = Ask({request});
  ASSERT_EQ(responses.size(), 1u);
  std::vector<std::string> names;
  for (const auto& s : responses[0].list_services_response().service()) {
    names.push_back(s.name());
  }
  EXPECT_THAT(names, Contains("partnermatch.v1.PartnerMatch"));
  EXPECT_THAT(names, Contains("grpc.reflection.v1.ServerReflection"));
  EXPECT_THAT(names, Contains("grpc.reflection.v1alpha.ServerReflection"));
}

TEST_F(ReflectionV1Test, DescribesASymbolWithItsDependencies) {
  rv1::ServerReflectionRequest symbol, unknown;
  symbol.set_file_containing_symbol("partnermatch.v1.PartnerMatch");
  unknown.set_file_containing_symbol("no.such.Service");
  auto responses = Ask({symbol, unknown});
  ASSERT_EQ(responses.size(), 2u);
  std::vector<std::string> files;
  for (const std::string& bytes :
       responses[0].file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    files.push_back(file.name());
  }
  ASSERT_FALSE(files.empty());
  // Dependencies first, the file that declares the symbol last.
  EXPECT_EQ(files.back(), "partnermatch/v1/partner_match.proto");
  EXPECT_EQ(responses[1].error_response().error_code(),
            static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(responses[1].error_response().error_message(),
              HasSubstr("no.such.Service"));
}

}  // namespace
}  // namespace pm::service
