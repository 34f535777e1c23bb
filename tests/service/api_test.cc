// PartnerMatchApi without a socket: each request's checks, defaults and
// limits, on an in-memory catalog.
#include "service/api/partner_match_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace pm::service {
namespace {

namespace pb = ::partnermatch::v1;
using ::testing::HasSubstr;

Profile MakePlace(const std::string& id, const std::string& country,
                  const std::string& text) {
  Profile p;
  p.id = id;
  p.name = "Place " + id;
  p.kind = PlaceKind::kCity;
  p.country = country;
  p.text = text;
  return p;
}

class PartnerMatchApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto catalog = ProfileCatalog::InMemory(
        {MakePlace("lugo", "ES",
                   "Lugo has experience in water efficiency and seeks "
                   "sustainable tourism."),
         MakePlace("cali", "CO",
                   "Cali offers sustainable tourism and is looking to learn "
                   "about water efficiency."),
         MakePlace("bari", "IT", "Bari has experience in sustainable tourism."),
         MakePlace("colima", "MX", "Colima seeks water efficiency.")});
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = *std::move(catalog);
    api_ = std::make_unique<PartnerMatchApi>(*catalog_);
  }

  std::unique_ptr<ProfileCatalog> catalog_;
  std::unique_ptr<PartnerMatchApi> api_;
};

void ExpectInvalid(const absl::Status& status, const std::string& field) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(status.message(), HasSubstr("'" + field + "'")) << status;
}

TEST_F(PartnerMatchApiTest, SuggestChecksItsFieldsAndAppliesDefaults) {
  pb::SuggestPartnersRequest request;
  pb::SuggestPartnersResponse response;
  ExpectInvalid(api_->SuggestPartners(request, response), "profile_id");

  request.set_profile_id("lugo");
  for (int k : {-1, PartnerMatchApi::kMaxK + 1}) {
    request.set_k(k);
    ExpectInvalid(api_->SuggestPartners(request, response), "k");
  }
  request.set_k(0);  // the default
  request.set_diversity(PartnerMatchApi::kMaxDiversity + 1);
  ExpectInvalid(api_->SuggestPartners(request, response), "diversity");
  request.set_diversity(-0.5);
  ExpectInvalid(api_->SuggestPartners(request, response), "diversity");

  request.clear_diversity();
  response.Clear();
  ASSERT_TRUE(api_->SuggestPartners(request, response).ok());
  EXPECT_EQ(response.profile_id(), "lugo");
  ASSERT_FALSE(response.suggestions().empty());
  EXPECT_LE(response.suggestions_size(), PartnerMatchApi::kDefaultK);
  for (const pb::Suggestion& s : response.suggestions()) {
    EXPECT_NE(s.partner_id(), "bari");  // two EU members are never suggested
  }

  request.set_profile_id("lgo");
  const absl::Status unknown = api_->SuggestPartners(request, response);
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.message(), "no profile with id 'lgo'; did you mean 'lugo'?");
}

TEST_F(PartnerMatchApiTest, ListPagesWithTokensAndRefusesBadOnes) {
  pb::ListProfilesRequest request;
  request.set_page_size(PartnerMatchApi::kMaxPageSize + 1);
  pb::ListProfilesResponse response;
  ExpectInvalid(api_->ListProfiles(request, response), "page_size");
  request.set_page_size(-1);
  ExpectInvalid(api_->ListProfiles(request, response), "page_size");

  request.set_page_size(3);
  std::vector<std::string> ids;
  int pages = 0;
  do {
    response.Clear();
    ASSERT_TRUE(api_->ListProfiles(request, response).ok());
    for (const pb::Profile& p : response.profiles()) ids.push_back(p.id());
    request.set_page_token(response.next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(ids, (std::vector<std::string>{"bari", "cali", "colima", "lugo"}));

  request.set_page_token("not a token");
  ExpectInvalid(api_->ListProfiles(request, response), "page_token");
}

TEST_F(PartnerMatchApiTest, ATokenOfOneListingIsRefusedByTheOther) {
  pb::RecordDecisionRequest decide;
  decide.mutable_decision()->set_profile_id("lugo");
  decide.mutable_decision()->set_partner_id("cali");
  decide.mutable_decision()->set_kind("declined");
  decide.mutable_decision()->set_who("Ana");
  pb::RecordDecisionResponse recorded;
  ASSERT_TRUE(api_->RecordDecision(decide, recorded).ok());
  ASSERT_TRUE(api_->RecordDecision(decide, recorded).ok());
  EXPECT_EQ(recorded.decision().sequence(), 2);

  pb::ListDecisionsRequest decisions;
  decisions.set_page_size(1);
  pb::ListDecisionsResponse page;
  ASSERT_TRUE(api_->ListDecisions(decisions, page).ok());
  ASSERT_EQ(page.decisions_size(), 1);
  ASSERT_FALSE(page.next_page_token().empty());

  pb::ListProfilesRequest profiles;
  profiles.set_page_token(page.next_page_token());
  pb::ListProfilesResponse listed;
  ExpectInvalid(api_->ListProfiles(profiles, listed), "page_token");
}

TEST_F(PartnerMatchApiTest, EveryCallNamesTheFieldItRefuses) {
  pb::UpsertProfilesResponse upserted;
  ExpectInvalid(api_->UpsertProfiles(pb::UpsertProfilesRequest(), upserted),
                "profiles");
  pb::UpsertProfilesRequest upsert;
  pb::Profile* bad = upsert.add_profiles();
  bad->set_id("x");
  bad->set_name("X");
  bad->set_kind("city");
  bad->set_country("XX");
  bad->set_text("X seeks water efficiency.");
  const absl::Status refused = api_->UpsertProfiles(upsert, upserted);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(), HasSubstr("profiles[0] ('x')"));
  EXPECT_THAT(refused.message(), HasSubstr("country"));

  pb::GetProfileResponse got;
  ExpectInvalid(api_->GetProfile(pb::GetProfileRequest(), got), "id");
  ExpectInvalid(api_->DeleteProfile(pb::DeleteProfileRequest()), "id");

  pb::ExplainMatchRequest explain;
  explain.set_profile_id("lugo");
  pb::ExplainMatchResponse explained;
  ExpectInvalid(api_->ExplainMatch(explain, explained), "partner_id");

  pb::ProposePairingsRequest plan;
  plan.mutable_options()->set_kind_rule("sometimes");
  pb::ProposePairingsResponse planned;
  ExpectInvalid(api_->ProposePairings(plan, planned), "kind_rule");

  pb::FindClustersRequest clusters;
  clusters.set_min_size(-1);
  pb::FindClustersResponse found;
  ExpectInvalid(api_->FindClusters(clusters, found), "min_size");

  pb::RecordDecisionRequest decide;
  decide.mutable_decision()->set_profile_id("lugo");
  decide.mutable_decision()->set_partner_id("cali");
  decide.mutable_decision()->set_kind("maybe");
  pb::RecordDecisionResponse recorded;
  ExpectInvalid(api_->RecordDecision(decide, recorded), "kind");

  pb::GetExposureReportRequest exposure;
  exposure.set_diversity(-1);
  pb::GetExposureReportResponse report;
  ExpectInvalid(api_->GetExposureReport(exposure, report), "diversity");
}

TEST_F(PartnerMatchApiTest, ExplainAndPlanAnswerOverTheSameSnapshot) {
  pb::ExplainMatchRequest explain;
  explain.set_profile_id("lugo");
  explain.set_partner_id("bari");
  pb::ExplainMatchResponse explained;
  ASSERT_TRUE(api_->ExplainMatch(explain, explained).ok());
  EXPECT_FALSE(explained.eligible());
  EXPECT_FALSE(explained.exclusion().empty());

  pb::ProposePairingsRequest plan;
  pb::ProposePairingsResponse planned;
  ASSERT_TRUE(api_->ProposePairings(plan, planned).ok());
  int members = planned.unmatched_size();
  for (const pb::PlannedGroup& g : planned.groups()) members += g.member_ids_size();
  EXPECT_EQ(members, 4);

  pb::GetTaxonomyResponse taxonomy;
  ASSERT_TRUE(api_->GetTaxonomy(pb::GetTaxonomyRequest(), taxonomy).ok());
  EXPECT_FALSE(taxonomy.taxonomy().themes().empty());
}

}  // namespace
}  // namespace pm::service
