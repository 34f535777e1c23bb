// End to end over a real socket: PartnerMatchServer on 127.0.0.1 (ephemeral
// port) over a catalog in a temporary SQLite store filled with the bundled
// profiles, called through the generated stub; the health and reflection
// services through grpc::GenericStub with hand-encoded messages (Debian ships
// neither their .proto files nor generated stubs).
#include <gmock/gmock.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/catalog/profile_catalog.h"
#include "engine/matching/score.h"
#include "partnermatch/v1/partner_match.grpc.pb.h"
#include "service/convert.h"
#include "service/grpc/partner_match_service.h"
#include "service/grpc/server.h"

namespace pm::service {
namespace {

namespace pb = ::partnermatch::v1;
using ::testing::HasSubstr;

constexpr int kBundledProfiles = 29;
constexpr auto kCallTimeout = std::chrono::seconds(30);

std::unique_ptr<grpc::ClientContext> NewContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kCallTimeout);
  return context;
}

// --- Hand-encoded messages for the generic stub -----------------------------

// One length-delimited field (string or message) in protobuf wire format.
std::string LengthDelimitedField(int number, const std::string& value) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteTag(static_cast<uint32_t>(number << 3 | 2));
    coded.WriteVarint32(static_cast<uint32_t>(value.size()));
    coded.WriteString(value);
  }
  return out;
}

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromByteBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

// Every length-delimited value of field `number` in `bytes`.
std::vector<std::string> LengthDelimitedValues(const std::string& bytes,
                                               int number) {
  google::protobuf::UnknownFieldSet fields;
  EXPECT_TRUE(
      fields.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  std::vector<std::string> out;
  for (int i = 0; i < fields.field_count(); ++i) {
    const google::protobuf::UnknownField& field = fields.field(i);
    if (field.number() == number &&
        field.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      out.push_back(field.length_delimited());
    }
  }
  return out;
}

// grpc.health.v1.HealthCheckResponse.ServingStatus.
constexpr int64_t kServing = 1;
constexpr int64_t kNotServing = 2;

// HealthCheckRequest { string service = 1; }
grpc::ByteBuffer HealthCheckRequest(const std::string& service) {
  return ToByteBuffer(service.empty() ? std::string()
                                      : LengthDelimitedField(1, service));
}

// The ServingStatus of a HealthCheckResponse { ServingStatus status = 1; }
// (absent = UNKNOWN = 0).
int64_t ServingStatusOf(const grpc::ByteBuffer& response) {
  const std::string bytes = FromByteBuffer(response);
  google::protobuf::UnknownFieldSet fields;
  EXPECT_TRUE(
      fields.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  for (int i = 0; i < fields.field_count(); ++i) {
    if (fields.field(i).number() == 1) {
      return static_cast<int64_t>(fields.field(i).varint());
    }
  }
  return 0;
}

// grpc.health.v1.Health/Check for `service`; the ServingStatus, or -1 when
// the call fails (its status in *status).
int64_t HealthCheck(grpc::GenericStub& stub, const std::string& service,
                    grpc::Status* status) {
  const grpc::ByteBuffer request = HealthCheckRequest(service);
  grpc::ByteBuffer response;
  auto context = NewContext();
  std::promise<grpc::Status> done;
  stub.UnaryCall(context.get(), "/grpc.health.v1.Health/Check",
                 grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  *status = done.get_future().get();
  if (!status->ok()) return -1;
  return ServingStatusOf(response);
}

// Waits for the completion of the one operation in flight on `cq`; its ok.
bool Await(grpc::CompletionQueue& cq) {
  void* tag = nullptr;
  bool ok = false;
  EXPECT_TRUE(cq.Next(&tag, &ok));
  return ok;
}

void Drain(grpc::CompletionQueue& cq) {
  cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (cq.Next(&tag, &ok)) {
  }
}

// The service names server reflection lists, through one round of the
// bidirectional grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo.
std::vector<std::string> ReflectedServices(grpc::GenericStub& stub,
                                           grpc::Status* status) {
  grpc::CompletionQueue cq;
  auto context = NewContext();
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call = stub.PrepareCall(
      context.get(),
      "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  // One operation in flight at a time, so completions arrive in order.
  call->StartCall(nullptr);
  EXPECT_TRUE(Await(cq));
  // ServerReflectionRequest { string list_services = 7; }
  call->Write(ToByteBuffer(LengthDelimitedField(7, "*")), nullptr);
  EXPECT_TRUE(Await(cq));
  call->WritesDone(nullptr);
  EXPECT_TRUE(Await(cq));
  grpc::ByteBuffer response;
  call->Read(&response, nullptr);
  const bool got_response = Await(cq);
  call->Finish(status, nullptr);
  EXPECT_TRUE(Await(cq));
  Drain(cq);
  std::vector<std::string> names;
  if (!got_response) return names;
  // ServerReflectionResponse { ListServiceResponse list_services_response = 6;
  // } ListServiceResponse { repeated ServiceResponse service = 1; }
  // ServiceResponse { string name = 1; }
  for (const std::string& list :
       LengthDelimitedValues(FromByteBuffer(response), 6)) {
    for (const std::string& service : LengthDelimitedValues(list, 1)) {
      for (const std::string& name : LengthDelimitedValues(service, 1)) {
        names.push_back(name);
      }
    }
  }
  return names;
}

// --- Fixture -----------------------------------------------------------------

pb::Profile NewProfile(const std::string& id, const std::string& country) {
  pb::Profile p;
  p.set_id(id);
  p.set_name("Test " + id);
  p.set_kind("city");
  p.set_country(country);
  p.set_text(
      "The city has extensive experience in water efficiency. It is looking "
      "to learn best practices on circular economy and sustainable tourism.");
  return p;
}

class GrpcEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::path(::testing::TempDir()) / "pm_grpc_e2e_XXXXXX")
            .string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    store_path_ = (dir_ / "store.db").string();
    StartServer();
  }

  void TearDown() override {
    StopServer();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Opens the store (filling a new one with the bundled profiles), serves it
  // on an ephemeral port and connects a stub.
  void StartServer() {
    auto catalog = ProfileCatalog::OpenStore(store_path_);
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *std::move(catalog);
    auto server = PartnerMatchServer::Start(*catalog_, "127.0.0.1:0");
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_GT(server_->port(), 0);
    channel_ =
        grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                            grpc::InsecureChannelCredentials());
    stub_ = pb::PartnerMatch::NewStub(channel_);
  }

  void StopServer() {
    stub_.reset();
    channel_.reset();
    if (server_) server_->Shutdown();
    server_.reset();
    catalog_.reset();
  }

  grpc::Status Upsert(const std::vector<pb::Profile>& profiles,
                      pb::UpsertProfilesResponse* response) {
    pb::UpsertProfilesRequest request;
    for (const pb::Profile& p : profiles) *request.add_profiles() = p;
    return stub_->UpsertProfiles(NewContext().get(), request, response);
  }

  grpc::Status Get(const std::string& id, pb::GetProfileResponse* response) {
    pb::GetProfileRequest request;
    request.set_id(id);
    return stub_->GetProfile(NewContext().get(), request, response);
  }

  grpc::Status List(int page_size, const std::string& token,
                    pb::ListProfilesResponse* response) {
    pb::ListProfilesRequest request;
    request.set_page_size(page_size);
    request.set_page_token(token);
    return stub_->ListProfiles(NewContext().get(), request, response);
  }

  // Every profile, paging with `page_size`; fails the test on an error.
  std::vector<pb::Profile> ListAll(int page_size, int* pages = nullptr) {
    std::vector<pb::Profile> all;
    std::string token;
    int n = 0;
    do {
      pb::ListProfilesResponse response;
      const grpc::Status status = List(page_size, token, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      EXPECT_LE(response.profiles_size(), page_size);
      all.insert(all.end(), response.profiles().begin(),
                 response.profiles().end());
      token = response.next_page_token();
      ++n;
    } while (!token.empty() && n < 1000);
    if (pages != nullptr) *pages = n;
    return all;
  }

  grpc::Status Suggest(const std::string& id, int k,
                       pb::SuggestPartnersResponse* response) {
    pb::SuggestPartnersRequest request;
    request.set_profile_id(id);
    request.set_k(k);
    return stub_->SuggestPartners(NewContext().get(), request, response);
  }

  grpc::Status Explain(const std::string& a, const std::string& b,
                       pb::ExplainMatchResponse* response) {
    pb::ExplainMatchRequest request;
    request.set_profile_id(a);
    request.set_partner_id(b);
    return stub_->ExplainMatch(NewContext().get(), request, response);
  }

  std::filesystem::path dir_;
  std::string store_path_;
  std::unique_ptr<ProfileCatalog> catalog_;
  std::unique_ptr<PartnerMatchServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<pb::PartnerMatch::Stub> stub_;
};

// --- UpsertProfiles ----------------------------------------------------------

TEST_F(GrpcEndToEndTest, UpsertCreatesThenUpdates) {
  pb::UpsertProfilesResponse response;
  grpc::Status status = Upsert({NewProfile("testville", "BR")}, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.created(), 1);
  EXPECT_EQ(response.updated(), 0);

  status =
      Upsert({NewProfile("testville", "br"), NewProfile("otherville", "JP")},
             &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.created(), 1);
  EXPECT_EQ(response.updated(), 1);
  EXPECT_EQ(ListAll(1000).size(), kBundledProfiles + 2u);

  pb::GetProfileResponse got;
  ASSERT_TRUE(Get("testville", &got).ok());
  EXPECT_EQ(got.profile().country(), "BR");
  EXPECT_FALSE(got.profile().eu_member());  // derived from the country
  EXPECT_FALSE(got.themes().empty());
}

TEST_F(GrpcEndToEndTest, UpsertRefusesAnEmptyRequest) {
  pb::UpsertProfilesResponse response;
  const grpc::Status status = Upsert({}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("profiles"));
}

TEST_F(GrpcEndToEndTest, UpsertRefusesABadProfileAndChangesNothing) {
  const size_t before = ListAll(1000).size();
  ASSERT_EQ(before, static_cast<size_t>(kBundledProfiles));

  pb::UpsertProfilesResponse response;
  grpc::Status status = Upsert(
      {NewProfile("goodtown", "BR"), NewProfile("badtown", "XX")}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("profiles[1]"));
  EXPECT_THAT(status.error_message(), HasSubstr("country"));

  pb::Profile bad_kind = NewProfile("oddtown", "BR");
  bad_kind.set_kind("village");
  status =
      Upsert({NewProfile("goodtown", "BR"), NewProfile("fine", "JP"), bad_kind},
             &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("profiles[2]"));
  EXPECT_THAT(status.error_message(), HasSubstr("village"));

  EXPECT_EQ(ListAll(1000).size(), before);
  pb::GetProfileResponse got;
  EXPECT_EQ(Get("goodtown", &got).error_code(), grpc::StatusCode::NOT_FOUND);
}

// A batch is bounded by the message size (next test), not by a count.
TEST_F(GrpcEndToEndTest, UpsertTakesABatchOfMoreThanTenThousandProfiles) {
  std::vector<pb::Profile> batch;
  for (int i = 0; i < 10001; ++i) {
    batch.push_back(NewProfile("bulk" + std::to_string(i), "BR"));
  }
  pb::UpsertProfilesResponse response;
  const grpc::Status status = Upsert(batch, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.created(), 10001);
  pb::GetProfileResponse got;
  EXPECT_TRUE(Get("bulk10000", &got).ok());
}

TEST_F(GrpcEndToEndTest, RefusesARequestOverTheMessageLimit) {
  pb::Profile huge = NewProfile("huge", "BR");
  huge.set_text(std::string(PartnerMatchServer::kMaxReceiveMessageBytes, 'a'));
  pb::UpsertProfilesResponse response;
  EXPECT_EQ(Upsert({huge}, &response).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

// --- GetProfile --------------------------------------------------------------

TEST_F(GrpcEndToEndTest, GetProfileReturnsThemesWithEvidenceFromTheText) {
  pb::GetProfileResponse response;
  const grpc::Status status = Get("bratislava", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const pb::Profile& profile = response.profile();
  EXPECT_EQ(profile.id(), "bratislava");
  EXPECT_EQ(profile.country(), "SK");
  EXPECT_TRUE(profile.has_eu_member());
  EXPECT_TRUE(profile.eu_member());
  EXPECT_EQ(profile.world_region(), "Europe");
  ASSERT_FALSE(response.themes().empty());
  for (const pb::ThemeInterest& theme : response.themes()) {
    EXPECT_FALSE(theme.theme().empty());
    EXPECT_GT(theme.weight(), 0);
    EXPECT_LE(theme.weight(), 1);
    EXPECT_THAT((std::vector<std::string>{"offer", "seek", "both", "context"}),
                ::testing::Contains(theme.role()));
    ASSERT_FALSE(theme.evidence().empty()) << theme.theme();
    for (const pb::Evidence& evidence : theme.evidence()) {
      ASSERT_LE(evidence.begin(), evidence.end());
      ASSERT_LE(evidence.end(), profile.text().size());
      EXPECT_EQ(evidence.text(),
                profile.text().substr(evidence.begin(),
                                      evidence.end() - evidence.begin()));
      EXPECT_THAT(evidence.sentence(), HasSubstr(evidence.text()));
    }
  }
}

TEST_F(GrpcEndToEndTest, GetProfileRefusesUnknownAndEmptyIds) {
  pb::GetProfileResponse response;
  grpc::Status status = Get("atlantis", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("'atlantis'"));

  status = Get("", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "field 'id' is required");
}

// --- ListProfiles ------------------------------------------------------------

TEST_F(GrpcEndToEndTest, ListProfilesPagesThroughEveryIdOnceInOrder) {
  int pages = 0;
  const std::vector<pb::Profile> all = ListAll(7, &pages);
  ASSERT_EQ(all.size(), static_cast<size_t>(kBundledProfiles));
  EXPECT_EQ(pages, (kBundledProfiles + 6) / 7);
  std::vector<std::string> ids;
  for (const pb::Profile& p : all) ids.push_back(p.id());
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_THAT(ids, ::testing::Contains("bratislava"));

  // page_size 0 means 100: everything in one page, same order.
  pb::ListProfilesResponse one_page;
  ASSERT_TRUE(List(0, "", &one_page).ok());
  ASSERT_EQ(one_page.profiles_size(), kBundledProfiles);
  EXPECT_TRUE(one_page.next_page_token().empty());
  for (int i = 0; i < kBundledProfiles; ++i) {
    EXPECT_EQ(one_page.profiles(i).id(), ids[static_cast<size_t>(i)]);
  }
}

TEST_F(GrpcEndToEndTest, ListProfilesRefusesBadPageSizesAndTokens) {
  pb::ListProfilesResponse response;
  grpc::Status status = List(1001, "", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_size"));
  EXPECT_EQ(List(-1, "", &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  for (const std::string token : {"not a token!", "bratislava", "cG0xOg"}) {
    status = List(7, token, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << token;
    EXPECT_THAT(status.error_message(), HasSubstr("page_token"));
  }
}

// --- DeleteProfile -----------------------------------------------------------

TEST_F(GrpcEndToEndTest, DeleteProfileRemovesItOnce) {
  pb::DeleteProfileRequest request;
  request.set_id("bratislava");
  pb::DeleteProfileResponse response;
  grpc::Status status =
      stub_->DeleteProfile(NewContext().get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  pb::GetProfileResponse got;
  EXPECT_EQ(Get("bratislava", &got).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ListAll(1000).size(), kBundledProfiles - 1u);

  status = stub_->DeleteProfile(NewContext().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("bratislava"));

  request.clear_id();
  status = stub_->DeleteProfile(NewContext().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "field 'id' is required");
}

// --- SuggestPartners ---------------------------------------------------------

TEST_F(GrpcEndToEndTest, SuggestPartnersFollowsTheProgrammeRules) {
  pb::GetProfileResponse self;
  ASSERT_TRUE(Get("bratislava", &self).ok());
  pb::SuggestPartnersResponse response;
  const grpc::Status status = Suggest("bratislava", 0, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.profile_id(), "bratislava");
  ASSERT_FALSE(response.suggestions().empty());
  EXPECT_LE(response.suggestions_size(), 10);  // k 0 means 10

  // Ranked by the score after the popularity decay (diversity on by
  // default), which never exceeds the score itself.
  double previous = 1e9;
  for (const pb::Suggestion& s : response.suggestions()) {
    SCOPED_TRACE(s.partner_id());
    EXPECT_LE(s.ranking_score(), previous);
    EXPECT_LE(s.ranking_score(), s.score() + 1e-12);
    EXPECT_GE(s.plain_rank(), 1);
    previous = s.ranking_score();
    pb::GetProfileResponse partner;
    ASSERT_TRUE(Get(s.partner_id(), &partner).ok());
    EXPECT_FALSE(partner.profile().eu_member());
    EXPECT_NE(partner.profile().country(), "SK");
    EXPECT_EQ(s.name(), partner.profile().name());
    // A reason is shown only with evidence from both profiles: only a weak
    // suggestion may have none.
    if (s.reasons().empty()) {
      EXPECT_LT(s.score(), pm::kWeakScore);
    }
    for (const pb::Reason& reason : s.reasons()) {
      EXPECT_FALSE(reason.theme().empty());
      EXPECT_GT(reason.contribution(), 0);
      EXPECT_FALSE(reason.self_evidence().empty()) << reason.theme();
      EXPECT_FALSE(reason.partner_evidence().empty()) << reason.theme();
      for (const pb::Evidence& e : reason.self_evidence()) {
        EXPECT_THAT(self.profile().text(), HasSubstr(e.text()));
      }
      for (const pb::Evidence& e : reason.partner_evidence()) {
        EXPECT_THAT(partner.profile().text(), HasSubstr(e.text()));
      }
      EXPECT_THAT(reason.summary(), HasSubstr(self.profile().name()));
      EXPECT_THAT(reason.summary(), HasSubstr(partner.profile().name()));
    }
  }
}

TEST_F(GrpcEndToEndTest, SuggestPartnersChecksKAndIds) {
  pb::SuggestPartnersResponse response;
  ASSERT_TRUE(Suggest("bratislava", 1, &response).ok());
  EXPECT_EQ(response.suggestions_size(), 1);

  grpc::Status status = Suggest("bratislava", -1, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("'k'"));
  EXPECT_EQ(Suggest("bratislava", 1001, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(Suggest("bratislava", 1000, &response).ok());

  status = Suggest("atlantis", 5, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("atlantis"));
  status = Suggest("", 5, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "field 'profile_id' is required");
}

// --- ExplainMatch ------------------------------------------------------------

TEST_F(GrpcEndToEndTest, ExplainMatchAgreesWithSuggestPartners) {
  pb::SuggestPartnersResponse suggested;
  ASSERT_TRUE(Suggest("bratislava", 1, &suggested).ok());
  ASSERT_EQ(suggested.suggestions_size(), 1);
  const pb::Suggestion& best = suggested.suggestions(0);

  pb::ExplainMatchResponse response;
  const grpc::Status status =
      Explain("bratislava", best.partner_id(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.profile_id(), "bratislava");
  EXPECT_EQ(response.partner_id(), best.partner_id());
  EXPECT_TRUE(response.eligible());
  EXPECT_TRUE(response.exclusion().empty());
  EXPECT_NEAR(response.breakdown().score(), best.score(), 1e-5);
  EXPECT_EQ(response.reasons_size(), best.reasons_size());
}

TEST_F(GrpcEndToEndTest, ExplainMatchNamesTheRuleThatExcludesAPair) {
  // Another EU member in another country: excluded only by the sides rule.
  std::string other_eu;
  for (const pb::Profile& p : ListAll(1000)) {
    if (p.eu_member() && p.country() != "SK") {
      other_eu = p.id();
      break;
    }
  }
  ASSERT_FALSE(other_eu.empty());
  pb::ExplainMatchResponse response;
  const grpc::Status status = Explain("bratislava", other_eu, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(response.eligible());
  EXPECT_THAT(response.exclusion(), HasSubstr("EU members"));
}

TEST_F(GrpcEndToEndTest, ExplainMatchChecksIds) {
  pb::ExplainMatchResponse response;
  grpc::Status status = Explain("bratislava", "atlantis", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("atlantis"));
  EXPECT_EQ(Explain("bratislava", "bratislava", &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  status = Explain("bratislava", "", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "field 'partner_id' is required");
}

// --- GetTaxonomy -------------------------------------------------------------

TEST_F(GrpcEndToEndTest, GetTaxonomyReturnsTheTwentyThemes) {
  pb::GetTaxonomyResponse response;
  const grpc::Status status = stub_->GetTaxonomy(
      NewContext().get(), pb::GetTaxonomyRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<std::string> ids;
  for (const pb::Theme& theme : response.taxonomy().themes()) {
    ids.push_back(theme.id());
    EXPECT_FALSE(theme.label().empty()) << theme.id();
    EXPECT_FALSE(theme.phrases().empty()) << theme.id();
  }
  EXPECT_THAT(
      ids, ::testing::UnorderedElementsAre(
               "water", "circular_economy", "nature_based_solutions",
               "climate_adaptation", "energy_transition", "urban_mobility",
               "digital_transition", "culture_heritage", "sustainable_tourism",
               "urban_regeneration", "housing", "social_inclusion",
               "food_agriculture", "regional_innovation", "ports_maritime",
               "jobs_skills", "health_wellbeing", "urban_resilience",
               "urban_planning", "air_quality"));
  EXPECT_FALSE(response.taxonomy().offer_cues().empty());
  EXPECT_FALSE(response.taxonomy().seek_cues().empty());
}

// --- Health and reflection ---------------------------------------------------

TEST_F(GrpcEndToEndTest, HealthReportsServing) {
  grpc::GenericStub stub(channel_);
  grpc::Status status;
  EXPECT_EQ(HealthCheck(stub, "", &status), kServing) << status.error_message();
  EXPECT_EQ(HealthCheck(stub, PartnerMatchServer::kServiceName, &status),
            kServing)
      << status.error_message();
  HealthCheck(stub, "no.such.Service", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(GrpcEndToEndTest, HealthTurnsNotServingBeforeShutdown) {
  // A Watch stream open across Shutdown sees SERVING, then NOT_SERVING.
  grpc::GenericStub stub(channel_);
  grpc::CompletionQueue cq;
  auto context = NewContext();
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(context.get(), "/grpc.health.v1.Health/Watch", &cq);
  call->StartCall(nullptr);
  ASSERT_TRUE(Await(cq));
  call->Write(HealthCheckRequest(PartnerMatchServer::kServiceName), nullptr);
  ASSERT_TRUE(Await(cq));
  call->WritesDone(nullptr);
  ASSERT_TRUE(Await(cq));
  grpc::ByteBuffer update;
  call->Read(&update, nullptr);
  ASSERT_TRUE(Await(cq));
  EXPECT_EQ(ServingStatusOf(update), kServing);

  std::thread stopper([this] { server_->Shutdown(); });
  call->Read(&update, nullptr);
  const bool got_update = Await(cq);
  EXPECT_TRUE(got_update);
  if (got_update) {
    EXPECT_EQ(ServingStatusOf(update), kNotServing);
  }
  context->TryCancel();  // lets Shutdown finish without its grace period
  grpc::Status status;
  call->Finish(&status, nullptr);
  Await(cq);
  stopper.join();
  Drain(cq);
}

TEST_F(GrpcEndToEndTest, ReflectionListsTheServices) {
  grpc::GenericStub stub(channel_);
  grpc::Status status;
  const std::vector<std::string> services = ReflectedServices(stub, &status);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(services, ::testing::Contains("partnermatch.v1.PartnerMatch"));
  EXPECT_THAT(services, ::testing::Contains("grpc.health.v1.Health"));
}

// --- Concurrency
// ---------------------------------------------------------------

TEST_F(GrpcEndToEndTest, ReadersAndWritersRunConcurrently) {
  constexpr int kReaders = 4;
  constexpr int kRounds = 20;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([this, &failures] {
      for (int i = 0; i < kRounds; ++i) {
        pb::SuggestPartnersResponse suggested;
        if (!Suggest("bratislava", 5, &suggested).ok()) ++failures;
        pb::ListProfilesResponse listed;
        if (!List(0, "", &listed).ok()) ++failures;
      }
    });
  }
  threads.emplace_back([this, &failures] {
    for (int i = 0; i < kRounds; ++i) {
      pb::UpsertProfilesResponse upserted;
      if (!Upsert({NewProfile("churnville", "BR")}, &upserted).ok()) {
        ++failures;
      }
      pb::DeleteProfileRequest request;
      request.set_id("churnville");
      pb::DeleteProfileResponse deleted;
      if (!stub_->DeleteProfile(NewContext().get(), request, &deleted).ok()) {
        ++failures;
      }
    }
  });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(ListAll(1000).size(), static_cast<size_t>(kBundledProfiles));
}

// --- Lifecycle ---------------------------------------------------------------

TEST_F(GrpcEndToEndTest, ProfilesSurviveARestart) {
  pb::UpsertProfilesResponse upserted;
  ASSERT_TRUE(Upsert({NewProfile("testville", "BR")}, &upserted).ok());
  const int old_port = server_->port();

  StopServer();
  StartServer();
  RecordProperty("ports", std::to_string(old_port) + " then " +
                              std::to_string(server_->port()));

  pb::GetProfileResponse got;
  const grpc::Status status = Get("testville", &got);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(got.profile().name(), "Test testville");
  EXPECT_FALSE(got.themes().empty());
  EXPECT_EQ(ListAll(1000).size(), kBundledProfiles + 1u);
}

// --- Decisions ----------------------------------------------------------------

pb::RecordDecisionRequest DecisionRequest(const std::string& a,
                                          const std::string& b,
                                          const std::string& kind,
                                          const std::string& who = "Ana") {
  pb::RecordDecisionRequest request;
  request.mutable_decision()->set_profile_id(a);
  request.mutable_decision()->set_partner_id(b);
  request.mutable_decision()->set_kind(kind);
  request.mutable_decision()->set_who(who);
  request.mutable_decision()->set_why("round 3 meeting");
  return request;
}

TEST_F(GrpcEndToEndTest, DiversityZeroRanksByScoreAlone) {
  pb::SuggestPartnersRequest request;
  request.set_profile_id("bratislava");
  request.set_k(10);
  request.set_diversity(0);
  pb::SuggestPartnersResponse response;
  ASSERT_TRUE(
      stub_->SuggestPartners(NewContext().get(), request, &response).ok());
  for (int i = 0; i < response.suggestions_size(); ++i) {
    EXPECT_EQ(response.suggestions(i).plain_rank(), i + 1);
    EXPECT_DOUBLE_EQ(response.suggestions(i).ranking_score(),
                     response.suggestions(i).score());
  }
  request.set_diversity(-1);
  const grpc::Status status =
      stub_->SuggestPartners(NewContext().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("field 'diversity'"));
}

TEST_F(GrpcEndToEndTest, ProposePairingsKeepsAcceptedPairsAndExplainsTheRest) {
  pb::RecordDecisionResponse recorded;
  ASSERT_TRUE(stub_
                  ->RecordDecision(NewContext().get(),
                                   DecisionRequest("dublin", "boston",
                                                   "accepted"),
                                   &recorded)
                  .ok());
  pb::ProposePairingsRequest request;
  request.mutable_cohort()->set_kind("city");
  request.mutable_options()->set_min_score(0.05);
  pb::ProposePairingsResponse plan;
  grpc::Status status =
      stub_->ProposePairings(NewContext().get(), request, &plan);
  ASSERT_TRUE(status.ok()) << status.error_message();
  bool accepted_kept = false;
  std::set<std::string> placed;
  for (const pb::PlannedGroup& g : plan.groups()) {
    for (const std::string& id : g.member_ids()) {
      EXPECT_TRUE(placed.insert(id).second) << id;
    }
    accepted_kept |= g.fixed() && g.member_ids_size() == 2 &&
                     std::set<std::string>(g.member_ids().begin(),
                                           g.member_ids().end()) ==
                         std::set<std::string>{"boston", "dublin"};
    EXPECT_FALSE(g.pairs().empty());
  }
  EXPECT_TRUE(accepted_kept);
  for (const pb::UnmatchedMember& u : plan.unmatched()) {
    EXPECT_FALSE(u.reason().empty());
    placed.insert(u.profile_id());
  }
  EXPECT_EQ(placed.size(), 20u);  // the bundled cities

  request.mutable_options()->set_kind_rule("sometimes");
  status = stub_->ProposePairings(NewContext().get(), request, &plan);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("field 'kind_rule'"));
}

TEST_F(GrpcEndToEndTest, FindClustersAndExposureReport) {
  pb::FindClustersRequest request;
  request.mutable_cohort()->set_kind("region");
  pb::FindClustersResponse clusters;
  grpc::Status status =
      stub_->FindClusters(NewContext().get(), request, &clusters);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::set<std::string> seen;
  for (const pb::ThematicCluster& c : clusters.clusters()) {
    EXPECT_GE(c.member_ids_size(), 2);
    EXPECT_FALSE(c.themes().empty());
    for (const std::string& id : c.member_ids()) {
      EXPECT_TRUE(seen.insert(id).second) << id << " in two clusters";
    }
  }
  for (const std::string& id : clusters.unclustered_ids()) seen.insert(id);
  EXPECT_EQ(seen.size(), 9u);  // the bundled regions, each once
  EXPECT_THAT(clusters.dot(), HasSubstr("graph"));

  request.mutable_cohort()->add_ids("atlantis");
  status = stub_->FindClusters(NewContext().get(), request, &clusters);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  pb::GetExposureReportRequest exposure_request;
  pb::GetExposureReportResponse exposure;
  status = stub_->GetExposureReport(NewContext().get(), exposure_request,
                                    &exposure);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(exposure.top_n(), 5);
  EXPECT_EQ(exposure.entries_size(), static_cast<int>(kBundledProfiles));
  EXPECT_LE(exposure.after().max(), exposure.before().max());
}

TEST_F(GrpcEndToEndTest, DeclinedPairIsNoLongerSuggestedAndSurvivesARestart) {
  pb::SuggestPartnersResponse before;
  ASSERT_TRUE(Suggest("bratislava", 1, &before).ok());
  ASSERT_EQ(before.suggestions_size(), 1);
  const std::string top = before.suggestions(0).partner_id();

  pb::RecordDecisionResponse recorded;
  grpc::Status status = stub_->RecordDecision(
      NewContext().get(), DecisionRequest("bratislava", top, "declined"),
      &recorded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(recorded.decision().sequence(), 1);
  EXPECT_EQ(recorded.decision().kind(), "declined");
  EXPECT_EQ(recorded.decision().recorded_at().size(), 20u);  // ...T..:..:..Z

  StopServer();
  StartServer();
  pb::SuggestPartnersResponse after;
  ASSERT_TRUE(Suggest("bratislava", 1000, &after).ok());
  for (const pb::Suggestion& s : after.suggestions()) {
    EXPECT_NE(s.partner_id(), top);
  }
  pb::ExplainMatchResponse explained;
  ASSERT_TRUE(Explain("bratislava", top, &explained).ok());
  EXPECT_FALSE(explained.eligible());
  EXPECT_EQ(explained.exclusion(), "declined by Ana: round 3 meeting");
}

TEST_F(GrpcEndToEndTest, ListDecisionsPagesTheLogOldestFirst) {
  for (const char* partner : {"cali", "busan", "boston"}) {
    pb::RecordDecisionResponse recorded;
    ASSERT_TRUE(stub_
                    ->RecordDecision(NewContext().get(),
                                     DecisionRequest("bratislava", partner,
                                                     "accepted"),
                                     &recorded)
                    .ok());
  }
  pb::RecordDecisionResponse other;
  ASSERT_TRUE(stub_
                  ->RecordDecision(NewContext().get(),
                                   DecisionRequest("almeria", "cali",
                                                   "existing"),
                                   &other)
                  .ok());
  pb::ListDecisionsRequest request;
  request.set_profile_id("bratislava");
  request.set_page_size(2);
  pb::ListDecisionsResponse first;
  ASSERT_TRUE(
      stub_->ListDecisions(NewContext().get(), request, &first).ok());
  ASSERT_EQ(first.decisions_size(), 2);
  EXPECT_EQ(first.decisions(0).partner_id(), "cali");
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  pb::ListDecisionsResponse second;
  ASSERT_TRUE(
      stub_->ListDecisions(NewContext().get(), request, &second).ok());
  ASSERT_EQ(second.decisions_size(), 1);
  EXPECT_EQ(second.decisions(0).partner_id(), "boston");
  EXPECT_TRUE(second.next_page_token().empty());

  pb::ListDecisionsRequest all;
  pb::ListDecisionsResponse everything;
  ASSERT_TRUE(
      stub_->ListDecisions(NewContext().get(), all, &everything).ok());
  EXPECT_EQ(everything.decisions_size(), 4);

  request.set_page_token("not-a-token");
  pb::ListDecisionsResponse bad;
  const grpc::Status status =
      stub_->ListDecisions(NewContext().get(), request, &bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(GrpcEndToEndTest, RecordDecisionNamesWhatIsWrong) {
  pb::RecordDecisionResponse response;
  grpc::Status status = stub_->RecordDecision(
      NewContext().get(), DecisionRequest("bratislava", "cali", "maybe"),
      &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "field 'kind': 'maybe' is not a decision (accepted, declined or "
            "existing)");
  status = stub_->RecordDecision(
      NewContext().get(), DecisionRequest("bratislava", "atlantis", "declined"),
      &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  status = stub_->RecordDecision(
      NewContext().get(), DecisionRequest("bratislava", "cali", "declined", ""),
      &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("field 'who'"));
}

TEST_F(GrpcEndToEndTest, ServeUntilSignalShutsDownOnSigterm) {
  // A signal sent to this thread stays pending while blocked here, whatever
  // other threads (gRPC's) block, so the test does not depend on when they
  // were created.
  BlockShutdownSignals();
  const pthread_t serving_thread = pthread_self();
  std::thread sender([this, serving_thread] {
    grpc::GenericStub stub(channel_);
    grpc::Status status;
    EXPECT_EQ(HealthCheck(stub, "", &status), kServing);
    pthread_kill(serving_thread, SIGTERM);
  });
  ServeUntilSignal(*server_);
  sender.join();

  // The server is gone: a call that would succeed now fails.
  pb::GetProfileRequest request;
  request.set_id("bratislava");
  pb::GetProfileResponse got;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(2));
  EXPECT_FALSE(stub_->GetProfile(&context, request, &got).ok());

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

// --- Status conversion
// ---------------------------------------------------------

TEST(ToGrpcStatusTest, KeepsTheCodeAndMessage) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  for (int code = 1; code <= 16; ++code) {
    const grpc::Status status =
        ToGrpcStatus(absl::Status(static_cast<absl::StatusCode>(code), "why"));
    EXPECT_EQ(static_cast<int>(status.error_code()), code);
    EXPECT_EQ(status.error_message(), "why");
  }
  EXPECT_EQ(ToGrpcStatus(absl::Status(static_cast<absl::StatusCode>(42), "x"))
                .error_code(),
            grpc::StatusCode::UNKNOWN);
}

// --- JSON for the command line
// ------------------------------------------------

TEST(ToJsonTest, PrintsProtoNamesAndDefaultsIndentedByTwo) {
  pb::Profile profile = NewProfile("testville", "BR");
  profile.set_eu_member(false);
  const std::string json = ToJson(profile);
  EXPECT_THAT(json, ::testing::StartsWith("{\n  \"id\": \"testville\",\n"));
  EXPECT_THAT(json, HasSubstr("\n  \"eu_member\": false"));
  EXPECT_THAT(json, HasSubstr("\n  \"population\": \"0\""));
  EXPECT_THAT(json, HasSubstr("\n  \"known_partners\": []"));
  EXPECT_EQ(json.back(), '}');

  pb::Profile parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok());
  EXPECT_EQ(parsed.SerializeAsString(), profile.SerializeAsString());
}

}  // namespace
}  // namespace pm::service
