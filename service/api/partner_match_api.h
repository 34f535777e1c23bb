// The application layer of partner-match: one object that owns the engine's
// scorer, suggester and planner over one catalog, the limits and defaults of
// every request (k, λ, page sizes, page tokens), and the checks of each
// request's fields. It takes and fills the messages of
// proto/partnermatch/v1/partner_match.proto, so the gRPC service (one line
// per RPC) and the command line (which builds the same requests) agree by
// construction. No matching logic lives here: that is the engine's.
#ifndef PARTNER_MATCH_SERVICE_API_PARTNER_MATCH_API_H_
#define PARTNER_MATCH_SERVICE_API_PARTNER_MATCH_API_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "engine/common/cancellation.h"
#include "engine/matching/exposure.h"
#include "engine/catalog/profile_catalog.h"
#include "engine/matching/reciprocal_scorer.h"
#include "engine/matching/score.h"
#include "engine/planning/pairing_planner.h"
#include "partnermatch/v1/partner_match.pb.h"

namespace pm::service {

// Thread-safe: every call reads one catalog snapshot (or makes one catalog
// write), so calls may run concurrently. Does not own the catalog, which
// must outlive it. On error the response is left partly filled and must not
// be used.
//
// Errors, besides those the engine returns as they are:
// - INVALID_ARGUMENT naming the field: a required id is empty ("field 'id'
//   is required"), page_size or k out of range, a malformed page_token, an
//   invalid profile in UpsertProfiles ("profiles[3] ('x'): field 'country':
//   ..."), an empty UpsertProfiles request;
// - NOT_FOUND naming the id (with a "did you mean" where one is near).
// UpsertProfiles takes any number of profiles: a request is bounded by the
// server's maximum message size, not by a count.
// Every call first checks each string field of its request against its
// limit (RequestStringLimit), before any other work: INVALID_ARGUMENT
// "field 'profiles[2].world_region': 15728640 bytes, more than the limit of
// 64 bytes". Messages quote client input through QuoteInput
// (engine/common/quote.h) only, so none grows with what a client sent.
//
// The long calls (ProposePairings, FindClusters, GetExposureReport and the
// first SuggestPartners of a server without a saved exposure model, which
// computes one) take a CancellationToken and return CANCELLED when it fires
// before they finish.
class PartnerMatchApi {
 public:
  // kind, kind_rule and country fields: keywords and codes.
  static constexpr size_t kMaxKeywordBytes = 32;
  // A page of ListProfiles stops before its profiles pass this many bytes
  // (always at least one profile, at most ~72 KiB by the profile limits), so
  // that a page fits a client with gRPC's default 4 MiB receive limit.
  static constexpr size_t kMaxPageBytes = 3 * 1024 * 1024;

  // page_size of the listings (0 means the default), and k of
  // SuggestPartners (0 means the default).
  static constexpr int kDefaultPageSize = 100;
  static constexpr int kMaxPageSize = 1000;
  static constexpr int kDefaultK = 10;
  static constexpr int kMaxK = ::pm::kMaxK;  // engine/matching/score.h
  // The popularity decay λ of SuggestPartners and GetExposureReport when a
  // request leaves it unset, and the largest λ a request may ask for.
  static constexpr double kDefaultDiversity = 0.5;
  static constexpr double kMaxDiversity = 10;

  explicit PartnerMatchApi(ProfileCatalog& catalog,
                           ReciprocalScorer scorer = ReciprocalScorer());

  // The catalog served; its Snapshot() is what the calls read.
  const ProfileCatalog& catalog() const { return catalog_; }

  // All or none; created/updated counts from the catalog.
  absl::Status UpsertProfiles(const partnermatch::v1::UpsertProfilesRequest& request,
                              partnermatch::v1::UpsertProfilesResponse& response);
  // The profile with its derived eu_member/world_region and its themes.
  absl::Status GetProfile(const partnermatch::v1::GetProfileRequest& request,
                          partnermatch::v1::GetProfileResponse& response) const;
  // Pages over the current snapshot in id order. The token holds the last id
  // returned, so a page never repeats or skips a profile that exists across
  // calls, even when others are written in between.
  absl::Status ListProfiles(const partnermatch::v1::ListProfilesRequest& request,
                            partnermatch::v1::ListProfilesResponse& response) const;
  absl::Status DeleteProfile(const partnermatch::v1::DeleteProfileRequest& request);
  // Ranked with the popularity decay (request.diversity, else
  // kDefaultDiversity) under the exposure model of the snapshot, or while
  // that one is computed in the background the latest one (DiverseSuggester;
  // at start the one saved with the index, ProfileCatalog::SavedExposure).
  absl::Status SuggestPartners(
      const partnermatch::v1::SuggestPartnersRequest& request,
      partnermatch::v1::SuggestPartnersResponse& response,
      const CancellationToken& cancel = {}) const;
  // An excluded pair is not an error: eligible=false and the rule.
  absl::Status ExplainMatch(const partnermatch::v1::ExplainMatchRequest& request,
                            partnermatch::v1::ExplainMatchResponse& response) const;
  // Appends a coordinator's decision to the log (see
  // ProfileCatalog::RecordDecision for the checks).
  // `who`, when not empty, is the authenticated caller's name and replaces
  // the request's decision.who (the server passes it when auth is on).
  absl::Status RecordDecision(
      const partnermatch::v1::RecordDecisionRequest& request,
      partnermatch::v1::RecordDecisionResponse& response,
      std::string_view who = {});
  // The log oldest first, optionally only decisions naming `profile_id`,
  // paged by sequence number.
  absl::Status ListDecisions(const partnermatch::v1::ListDecisionsRequest& request,
                             partnermatch::v1::ListDecisionsResponse& response) const;
  // The cohort plan (PairingPlanner): groups with reasons, unmatched members
  // with theirs, the plan as DOT. The pair scoring is reported to the
  // catalog's progress().
  absl::Status ProposePairings(
      const partnermatch::v1::ProposePairingsRequest& request,
      partnermatch::v1::ProposePairingsResponse& response,
      const CancellationToken& cancel = {}) const;
  // Thematic clusters of the selected cohort (FindThematicClusters).
  absl::Status FindClusters(const partnermatch::v1::FindClustersRequest& request,
                            partnermatch::v1::FindClustersResponse& response,
                            const CancellationToken& cancel = {}) const;
  absl::Status GetExposureReport(
      const partnermatch::v1::GetExposureReportRequest& request,
      partnermatch::v1::GetExposureReportResponse& response,
      const CancellationToken& cancel = {}) const;
  absl::Status GetTaxonomy(const partnermatch::v1::GetTaxonomyRequest& request,
                           partnermatch::v1::GetTaxonomyResponse& response) const;

 private:
  ProfileCatalog& catalog_;
  const ReciprocalScorer scorer_;
  const DiverseSuggester suggester_;
  const PairingPlanner planner_;
};

// The longest value, in bytes, that a string field named `field` (its
// name in the .proto: "id", "world_region", ...) may have in a request, or
// nullopt for a name no request field has. The one definition per field:
// ids kMaxIdBytes, name kMaxProfileNameBytes, text kMaxProfileTextBytes,
// world_region kMaxWorldRegionBytes, who/why kMaxDecisionWho/WhyBytes,
// page_token kMaxPageTokenBytes, kind/kind_rule/country kMaxKeywordBytes.
std::optional<size_t> RequestStringLimit(std::string_view field);

// OK, or INVALID_ARGUMENT naming the first string field of `request` (its
// path, as "profiles[2].world_region") longer than its RequestStringLimit.
absl::Status CheckRequestStrings(const google::protobuf::Message& request);

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_API_PARTNER_MATCH_API_H_
