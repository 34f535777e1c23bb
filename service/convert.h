// Engine types -> proto messages, shared by the gRPC service and the command
// line's --json output. The one place engine results become proto.
#ifndef PARTNER_MATCH_SERVICE_CONVERT_H_
#define PARTNER_MATCH_SERVICE_CONVERT_H_

#include <string>

#include "absl/status/statusor.h"
#include "engine/graph/thematic_clusters.h"
#include "engine/matching/exposure.h"
#include "engine/matching/match_index.h"
#include "engine/planning/cohort.h"
#include "engine/planning/pairing_planner.h"
#include "engine/model/decision.h"
#include "engine/matching/reciprocal_scorer.h"
#include "engine/taxonomy/taxonomy.h"
#include "partnermatch/v1/partner_match.pb.h"

namespace pm::service {

// Evidence with the matched text and its sentence cut from `text`.
partnermatch::v1::Evidence ToProto(const Evidence& evidence,
                                   const std::string& text);
// A theme with its id (from `taxonomy`), weight, role name and evidence.
partnermatch::v1::ThemeInterest ToProto(const ThemeInterest& interest,
                                        const Taxonomy& taxonomy,
                                        const std::string& text);
// The profile as stored, with eu_member and world_region filled in as
// derived.
partnermatch::v1::Profile ToProfileProto(const IndexedProfile& profile);
// ToProfileProto and its themes.
partnermatch::v1::GetProfileResponse ToProto(const IndexedProfile& profile,
                                             const Taxonomy& taxonomy);
// A reason between rows `self` and `partner` of `index`: theme id, kind,
// roles, contribution, the evidence of both sides and a one-sentence summary
// naming both places.
partnermatch::v1::Reason ToProto(const MatchReason& reason,
                                 const MatchIndex& index, size_t self,
                                 size_t partner);
partnermatch::v1::Suggestion ToProto(const PartnerSuggestion& suggestion,
                                     const MatchIndex& index, size_t self);
partnermatch::v1::ScoreBreakdown ToProto(const ScoreParts& parts);
partnermatch::v1::ExplainMatchResponse ToProto(
    const PairExplanation& explanation, const MatchIndex& index, size_t a,
    size_t b);
partnermatch::v1::Taxonomy ToProto(const Taxonomy& taxonomy);

// Diversity, clusters and cohort selection (service/convert_graph.cc).
// A suggestion with its exposure, plain rank and ranking score.
partnermatch::v1::Suggestion ToProto(const DiverseSuggestion& suggestion,
                                     const MatchIndex& index, size_t self);
// Clusters by id with theme ids, unclustered ids, modularity and the
// similarity graph as DOT.
partnermatch::v1::FindClustersResponse ToProto(
    const ThematicClustering& clustering, const MatchIndex& index);
partnermatch::v1::GetExposureReportResponse ToProto(
    const ExposureReport& report, const MatchIndex& index);
CohortSelector FromProto(const partnermatch::v1::CohortSelector& selector);

// Cohort plans (service/convert.cc). The plan's groups with each pair's
// reasons, unmatched members with their reason, and the plan as DOT.
partnermatch::v1::ProposePairingsResponse ToProto(const PairingPlan& plan,
                                                  const MatchIndex& index);
// Defaults for zero values as documented on the proto; INVALID_ARGUMENT
// "field 'kind_rule': …" for an unknown rule.
absl::StatusOr<PairingOptions> FromProto(
    const partnermatch::v1::PairingOptions& options);

// Decisions (service/convert_decisions.cc). recorded_at is RFC 3339 UTC.
partnermatch::v1::Decision ToProto(const Decision& decision);
// The ids, kind, who and why of a request's decision (sequence and
// recorded_at are the server's). INVALID_ARGUMENT "field 'kind': …" for an
// unknown kind.
absl::StatusOr<Decision> DecisionFromProto(
    const partnermatch::v1::Decision& decision);

// Proto3 JSON with the .proto field names, every field printed, two-space
// indented; for the command line's --json.
std::string ToJson(const google::protobuf::Message& message);

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_CONVERT_H_
