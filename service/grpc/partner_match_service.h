// The partnermatch.v1.PartnerMatch service: checks each request's fields,
// calls the engine, and converts the result (service/convert.h) and its
// status (ToGrpcStatus, the one absl -> gRPC status conversion). No matching
// logic lives here.
#ifndef PARTNER_MATCH_SERVICE_GRPC_PARTNER_MATCH_SERVICE_H_
#define PARTNER_MATCH_SERVICE_GRPC_PARTNER_MATCH_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "engine/matching/exposure.h"
#include "engine/catalog/profile_catalog.h"
#include "engine/planning/pairing_planner.h"
#include "engine/matching/reciprocal_scorer.h"
#include "partnermatch/v1/partner_match.grpc.pb.h"

namespace pm::service {

// The gRPC status with the same canonical code and message (absl's codes are
// gRPC's one for one; a code outside the canonical set becomes UNKNOWN).
grpc::Status ToGrpcStatus(const absl::Status& status);

// Thread-safe: every call reads one catalog snapshot (or makes one catalog
// write), so calls run concurrently on gRPC's threads. Does not own the
// catalog, which must outlive it.
//
// Errors, besides those the engine returns as they are:
// - INVALID_ARGUMENT naming the field: a required id is empty ("field 'id'
//   is required"), page_size or k out of range, a malformed page_token, an
//   invalid profile in UpsertProfiles ("profiles[3] ('x'): field 'country':
//   ..."), an empty UpsertProfiles request;
// - NOT_FOUND naming the id: an unknown profile;
// - RESOURCE_EXHAUSTED: more than ProfileCatalog::kMaxUpsertBatch profiles
//   in one UpsertProfiles.
class PartnerMatchServiceImpl final
    : public partnermatch::v1::PartnerMatch::Service {
 public:
  // page_size bounds of ListProfiles, and k bounds of SuggestPartners.
  static constexpr int kDefaultPageSize = 100;
  static constexpr int kMaxPageSize = 1000;
  static constexpr int kDefaultK = 10;
  static constexpr int kMaxK = 1000;

  // The popularity decay λ of SuggestPartners when a request leaves it
  // unset, and the largest λ a request may ask for.
  static constexpr double kDefaultDiversity = 0.5;
  static constexpr double kMaxDiversity = 10;

  PartnerMatchServiceImpl(ProfileCatalog& catalog, ReciprocalScorer scorer);

  // All or none; created/updated counts from the catalog.
  grpc::Status UpsertProfiles(
      grpc::ServerContext* context,
      const partnermatch::v1::UpsertProfilesRequest* request,
      partnermatch::v1::UpsertProfilesResponse* response) override;
  // The profile with its derived eu_member/world_region and its themes.
  grpc::Status GetProfile(
      grpc::ServerContext* context,
      const partnermatch::v1::GetProfileRequest* request,
      partnermatch::v1::GetProfileResponse* response) override;
  // Pages over the current snapshot in id order. The token holds the last id
  // returned, so a page never repeats or skips a profile that exists across
  // calls, even when others are written in between.
  grpc::Status ListProfiles(
      grpc::ServerContext* context,
      const partnermatch::v1::ListProfilesRequest* request,
      partnermatch::v1::ListProfilesResponse* response) override;
  grpc::Status DeleteProfile(
      grpc::ServerContext* context,
      const partnermatch::v1::DeleteProfileRequest* request,
      partnermatch::v1::DeleteProfileResponse* response) override;
  // Ranked with the popularity decay (request.diversity, else
  // kDefaultDiversity); the first call on a new snapshot computes its
  // exposure model (DiverseSuggester), later calls reuse it.
  grpc::Status SuggestPartners(
      grpc::ServerContext* context,
      const partnermatch::v1::SuggestPartnersRequest* request,
      partnermatch::v1::SuggestPartnersResponse* response) override;
  // An excluded pair is not an error: eligible=false and the rule.
  grpc::Status ExplainMatch(
      grpc::ServerContext* context,
      const partnermatch::v1::ExplainMatchRequest* request,
      partnermatch::v1::ExplainMatchResponse* response) override;
  // Appends a coordinator's decision to the log (see
  // ProfileCatalog::RecordDecision for the checks).
  grpc::Status RecordDecision(
      grpc::ServerContext* context,
      const partnermatch::v1::RecordDecisionRequest* request,
      partnermatch::v1::RecordDecisionResponse* response) override;
  // The log oldest first, optionally only decisions naming `profile_id`,
  // paged by sequence number.
  grpc::Status ListDecisions(
      grpc::ServerContext* context,
      const partnermatch::v1::ListDecisionsRequest* request,
      partnermatch::v1::ListDecisionsResponse* response) override;
  // The cohort plan (PairingPlanner): groups with reasons, unmatched members
  // with theirs, the plan as DOT.
  grpc::Status ProposePairings(
      grpc::ServerContext* context,
      const partnermatch::v1::ProposePairingsRequest* request,
      partnermatch::v1::ProposePairingsResponse* response) override;
  // Thematic clusters of the selected cohort (FindThematicClusters).
  grpc::Status FindClusters(
      grpc::ServerContext* context,
      const partnermatch::v1::FindClustersRequest* request,
      partnermatch::v1::FindClustersResponse* response) override;
  grpc::Status GetExposureReport(
      grpc::ServerContext* context,
      const partnermatch::v1::GetExposureReportRequest* request,
      partnermatch::v1::GetExposureReportResponse* response) override;
  grpc::Status GetTaxonomy(
      grpc::ServerContext* context,
      const partnermatch::v1::GetTaxonomyRequest* request,
      partnermatch::v1::GetTaxonomyResponse* response) override;

 private:
  ProfileCatalog& catalog_;
  const ReciprocalScorer scorer_;
  const DiverseSuggester suggester_;
  const PairingPlanner planner_;
};

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_GRPC_PARTNER_MATCH_SERVICE_H_
