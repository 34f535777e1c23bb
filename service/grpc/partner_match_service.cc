#include "service/grpc/partner_match_service.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "engine/common/status_macros.h"
#include "engine/io/profile_format.h"
#include "service/convert.h"

namespace pm::service {
namespace {

namespace pb = ::partnermatch::v1;

// absl's canonical codes are gRPC's, value for value (absl/status/status.h).
static_assert(static_cast<int>(absl::StatusCode::kInvalidArgument) ==
              static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
static_assert(static_cast<int>(absl::StatusCode::kUnauthenticated) ==
              static_cast<int>(grpc::StatusCode::UNAUTHENTICATED));

// absl::string_view, not std::string_view, wherever StrCat reads a view:
// Debian's Abseil has its own string_view.
absl::Status Required(absl::string_view field, absl::string_view value) {
  if (!value.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("field '", field, "' is required"));
}

// A page token is the position after which the next page starts (the last
// id served, or the last decision's sequence number), behind a version
// prefix naming the listing and web-safe base64, so that clients treat it as
// opaque and a later format can be told apart.
constexpr absl::string_view kProfilesTokenPrefix = "pm1:";
constexpr absl::string_view kDecisionsTokenPrefix = "pmd1:";

std::string EncodePageToken(absl::string_view prefix,
                            absl::string_view position) {
  return absl::WebSafeBase64Escape(absl::StrCat(prefix, position));
}

// The position in `token`; INVALID_ARGUMENT unless `valid` accepts it.
template <typename Valid>
absl::StatusOr<std::string> DecodePageToken(const std::string& token,
                                            absl::string_view prefix,
                                            absl::string_view rpc,
                                            Valid valid) {
  const absl::Status malformed = absl::InvalidArgumentError(absl::StrCat(
      "field 'page_token': not a token from a previous ", rpc,
      " response; omit it to start from the first page"));
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded) ||
      !absl::StartsWith(decoded, prefix)) {
    return malformed;
  }
  std::string position = decoded.substr(prefix.size());
  if (position.empty() || position.size() > 64 || !valid(position)) {
    return malformed;
  }
  return position;
}

// A token this service wrote holds a stored id: 1-64 of [a-z0-9._-].
bool IdLike(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

bool Digits(const std::string& s) {
  return s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
}

// page_size with 0 meaning the default; INVALID_ARGUMENT out of range.
absl::StatusOr<int> PageSize(int requested) {
  if (requested == 0) return PartnerMatchServiceImpl::kDefaultPageSize;
  if (requested < 1 || requested > PartnerMatchServiceImpl::kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("field 'page_size' must be between 1 and ",
                     PartnerMatchServiceImpl::kMaxPageSize, " (0 means ",
                     PartnerMatchServiceImpl::kDefaultPageSize, "), got ",
                     requested));
  }
  return requested;
}

absl::Status Upsert(ProfileCatalog& catalog,
                    const pb::UpsertProfilesRequest& request,
                    pb::UpsertProfilesResponse& response) {
  const int n = request.profiles_size();
  if (n == 0) {
    return absl::InvalidArgumentError(
        "field 'profiles' is empty; send at least one profile");
  }
  if (static_cast<size_t>(n) > ProfileCatalog::kMaxUpsertBatch) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "at most ", ProfileCatalog::kMaxUpsertBatch,
        " profiles per UpsertProfiles call, got ", n, "; split the batch"));
  }
  std::vector<Profile> profiles;
  profiles.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const pb::Profile& in = request.profiles(i);
    absl::StatusOr<Profile> profile = ProfileFromProto(in);
    if (!profile.ok()) {
      // Same wording as the catalog's checks, which run next.
      return absl::Status(profile.status().code(),
                          absl::StrCat("profiles[", i, "] ('", in.id(),
                                       "'): ", profile.status().message()));
    }
    profiles.push_back(*std::move(profile));
  }
  PM_ASSIGN_OR_RETURN(const UpsertCounts counts,
                      catalog.Upsert(std::move(profiles)));
  response.set_created(counts.created);
  response.set_updated(counts.updated);
  return absl::OkStatus();
}

absl::Status Get(const ProfileCatalog& catalog,
                 const pb::GetProfileRequest& request,
                 pb::GetProfileResponse& response) {
  PM_RETURN_IF_ERROR(Required("id", request.id()));
  const std::shared_ptr<const MatchIndex> index = catalog.Snapshot();
  PM_ASSIGN_OR_RETURN(const size_t row, index->Row(request.id()));
  response = ToProto(index->at(row), index->taxonomy());
  return absl::OkStatus();
}

absl::Status List(const ProfileCatalog& catalog,
                  const pb::ListProfilesRequest& request,
                  pb::ListProfilesResponse& response) {
  PM_ASSIGN_OR_RETURN(const int page_size, PageSize(request.page_size()));
  const std::shared_ptr<const MatchIndex> index = catalog.Snapshot();
  const std::vector<IndexedProfile>& all = index->profiles();
  auto first = all.begin();
  if (!request.page_token().empty()) {
    PM_ASSIGN_OR_RETURN(
        const std::string last_id,
        DecodePageToken(request.page_token(), kProfilesTokenPrefix,
                        "ListProfiles", IdLike));
    // Profiles are in id order: start after the last id served.
    first =
        std::upper_bound(all.begin(), all.end(), last_id,
                         [](const std::string& id, const IndexedProfile& p) {
                           return id < p.profile.id;
                         });
  }
  const auto last =
      first + std::min<std::ptrdiff_t>(page_size, all.end() - first);
  for (auto it = first; it != last; ++it) {
    *response.add_profiles() =
        std::move(*ToProto(*it, index->taxonomy()).mutable_profile());
  }
  if (last != all.end()) {
    response.set_next_page_token(
        EncodePageToken(kProfilesTokenPrefix, (last - 1)->profile.id));
  }
  return absl::OkStatus();
}

absl::Status ListDecisions(const ProfileCatalog& catalog,
                           const pb::ListDecisionsRequest& request,
                           pb::ListDecisionsResponse& response) {
  PM_ASSIGN_OR_RETURN(const int page_size, PageSize(request.page_size()));
  int64_t after = 0;
  if (!request.page_token().empty()) {
    PM_ASSIGN_OR_RETURN(
        const std::string sequence,
        DecodePageToken(request.page_token(), kDecisionsTokenPrefix,
                        "ListDecisions", Digits));
    after = std::stoll(sequence);
  }
  const std::shared_ptr<const MatchIndex> index = catalog.Snapshot();
  const std::string& filter = request.profile_id();
  // The log is in sequence order; decisions about deleted places stay.
  for (const Decision& d : index->decisions()) {
    if (d.sequence <= after) continue;
    if (!filter.empty() && d.profile_id != filter && d.partner_id != filter) {
      continue;
    }
    if (response.decisions_size() == page_size) {
      response.set_next_page_token(EncodePageToken(
          kDecisionsTokenPrefix,
          absl::StrCat(response.decisions(page_size - 1).sequence())));
      break;
    }
    *response.add_decisions() = ToProto(d);
  }
  return absl::OkStatus();
}

// λ from an optional request field; INVALID_ARGUMENT out of range.
absl::StatusOr<double> Diversity(bool has, double requested) {
  if (!has) return PartnerMatchServiceImpl::kDefaultDiversity;
  if (!(requested >= 0 && requested <= PartnerMatchServiceImpl::kMaxDiversity)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "field 'diversity' must be between 0 and ",
        PartnerMatchServiceImpl::kMaxDiversity, ", got ", requested));
  }
  return requested;
}

absl::Status Suggest(const ProfileCatalog& catalog,
                     const DiverseSuggester& suggester,
                     const pb::SuggestPartnersRequest& request,
                     pb::SuggestPartnersResponse& response) {
  PM_RETURN_IF_ERROR(Required("profile_id", request.profile_id()));
  int k = request.k();
  if (k == 0) k = PartnerMatchServiceImpl::kDefaultK;
  if (k < 1 || k > PartnerMatchServiceImpl::kMaxK) {
    return absl::InvalidArgumentError(absl::StrCat(
        "field 'k' must be between 1 and ", PartnerMatchServiceImpl::kMaxK,
        " (0 means ", PartnerMatchServiceImpl::kDefaultK, "), got ",
        request.k()));
  }
  PM_ASSIGN_OR_RETURN(
      const double lambda,
      Diversity(request.has_diversity(), request.diversity()));
  const std::shared_ptr<const MatchIndex> index = catalog.Snapshot();
  PM_ASSIGN_OR_RETURN(
      const std::vector<DiverseSuggestion> suggestions,
      suggester.Suggest(index, request.profile_id(), k, lambda));
  const std::optional<size_t> self = index->Find(request.profile_id());
  if (!self) {  // Suggest found it in the same snapshot
    return absl::InternalError("profile vanished from its snapshot");
  }
  response.set_profile_id(request.profile_id());
  for (const DiverseSuggestion& suggestion : suggestions) {
    *response.add_suggestions() = ToProto(suggestion, *index, *self);
  }
  return absl::OkStatus();
}

absl::Status Plan(const ProfileCatalog& catalog, const PairingPlanner& planner,
                  const pb::ProposePairingsRequest& request,
                  pb::ProposePairingsResponse& response) {
  PM_ASSIGN_OR_RETURN(const PairingOptions options,
                      FromProto(request.options()));
  const std::shared_ptr<const MatchIndex> index = catalog.Snapshot();
  PM_ASSIGN_OR_RETURN(const std::vector<size_t> rows,
                      SelectCohort(*index, FromProto(request.cohort()),
                                   catalog.gazetteer()));
  PM_ASSIGN_OR_RETURN(const PairingPlan plan,
                      planner.Plan(*index, rows, options));
  response = ToProto(plan, *index);
  return absl::OkStatus();
}

absl::Status Clusters(const ProfileCatalog& catalog,
                      const pb::FindClustersRequest& request,
                      pb::FindClustersResponse& response) {
  if (request.min_size() < 0 || request.max_size() < 0) {
    return absl::InvalidArgumentError(
        "fields 'min_size' and 'max_size' must not be negative");
  }
  const std::shared_ptr<const MatchIndex> index = catalog.Snapshot();
  PM_ASSIGN_OR_RETURN(
      const std::vector<size_t> rows,
      SelectCohort(*index, FromProto(request.cohort()), catalog.gazetteer()));
  ClusterOptions options;
  if (request.min_size() > 0) options.min_size = request.min_size();
  options.max_size = request.max_size();
  PM_ASSIGN_OR_RETURN(const ThematicClustering clustering,
                      FindThematicClusters(*index, rows, options));
  response = ToProto(clustering, *index);
  return absl::OkStatus();
}

absl::Status Exposure(const ProfileCatalog& catalog,
                      const DiverseSuggester& suggester,
                      const pb::GetExposureReportRequest& request,
                      pb::GetExposureReportResponse& response) {
  PM_ASSIGN_OR_RETURN(
      const double lambda,
      Diversity(request.has_diversity(), request.diversity()));
  const std::shared_ptr<const MatchIndex> index = catalog.Snapshot();
  PM_ASSIGN_OR_RETURN(const ExposureReport report,
                      suggester.Report(index, lambda));
  response = ToProto(report, *index);
  return absl::OkStatus();
}

absl::Status Explain(const ProfileCatalog& catalog,
                     const ReciprocalScorer& scorer,
                     const pb::ExplainMatchRequest& request,
                     pb::ExplainMatchResponse& response) {
  PM_RETURN_IF_ERROR(Required("profile_id", request.profile_id()));
  PM_RETURN_IF_ERROR(Required("partner_id", request.partner_id()));
  const std::shared_ptr<const MatchIndex> index = catalog.Snapshot();
  PM_ASSIGN_OR_RETURN(
      const PairExplanation explanation,
      scorer.Explain(*index, request.profile_id(), request.partner_id()));
  const std::optional<size_t> a = index->Find(request.profile_id());
  const std::optional<size_t> b = index->Find(request.partner_id());
  if (!a || !b) {  // Explain found both in the same snapshot
    return absl::InternalError("profile vanished from its snapshot");
  }
  response = ToProto(explanation, *index, *a, *b);
  return absl::OkStatus();
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const int code = static_cast<int>(status.code());
  const bool canonical =
      code > 0 && code <= static_cast<int>(grpc::StatusCode::UNAUTHENTICATED);
  return grpc::Status(canonical ? static_cast<grpc::StatusCode>(code)
                                : grpc::StatusCode::UNKNOWN,
                      std::string(status.message()));
}

PartnerMatchServiceImpl::PartnerMatchServiceImpl(ProfileCatalog& catalog,
                                                 ReciprocalScorer scorer)
    : catalog_(catalog),
      scorer_(scorer),
      suggester_(scorer, DiversityOptions{kDefaultDiversity, {}}),
      planner_(std::move(scorer)) {}

grpc::Status PartnerMatchServiceImpl::UpsertProfiles(
    grpc::ServerContext*, const pb::UpsertProfilesRequest* request,
    pb::UpsertProfilesResponse* response) {
  return ToGrpcStatus(Upsert(catalog_, *request, *response));
}

grpc::Status PartnerMatchServiceImpl::GetProfile(
    grpc::ServerContext*, const pb::GetProfileRequest* request,
    pb::GetProfileResponse* response) {
  return ToGrpcStatus(Get(catalog_, *request, *response));
}

grpc::Status PartnerMatchServiceImpl::ListProfiles(
    grpc::ServerContext*, const pb::ListProfilesRequest* request,
    pb::ListProfilesResponse* response) {
  return ToGrpcStatus(List(catalog_, *request, *response));
}

grpc::Status PartnerMatchServiceImpl::DeleteProfile(
    grpc::ServerContext*, const pb::DeleteProfileRequest* request,
    pb::DeleteProfileResponse*) {
  absl::Status status = Required("id", request->id());
  if (status.ok()) status = catalog_.Delete(request->id());
  return ToGrpcStatus(status);
}

grpc::Status PartnerMatchServiceImpl::SuggestPartners(
    grpc::ServerContext*, const pb::SuggestPartnersRequest* request,
    pb::SuggestPartnersResponse* response) {
  return ToGrpcStatus(Suggest(catalog_, suggester_, *request, *response));
}

grpc::Status PartnerMatchServiceImpl::ExplainMatch(
    grpc::ServerContext*, const pb::ExplainMatchRequest* request,
    pb::ExplainMatchResponse* response) {
  return ToGrpcStatus(Explain(catalog_, scorer_, *request, *response));
}

grpc::Status PartnerMatchServiceImpl::RecordDecision(
    grpc::ServerContext*, const pb::RecordDecisionRequest* request,
    pb::RecordDecisionResponse* response) {
  absl::StatusOr<Decision> decision = DecisionFromProto(request->decision());
  if (decision.ok()) decision = catalog_.RecordDecision(*std::move(decision));
  if (decision.ok()) *response->mutable_decision() = ToProto(*decision);
  return ToGrpcStatus(decision.status());
}

grpc::Status PartnerMatchServiceImpl::ListDecisions(
    grpc::ServerContext*, const pb::ListDecisionsRequest* request,
    pb::ListDecisionsResponse* response) {
  return ToGrpcStatus(
      pm::service::ListDecisions(catalog_, *request, *response));
}

grpc::Status PartnerMatchServiceImpl::ProposePairings(
    grpc::ServerContext*, const pb::ProposePairingsRequest* request,
    pb::ProposePairingsResponse* response) {
  return ToGrpcStatus(Plan(catalog_, planner_, *request, *response));
}

grpc::Status PartnerMatchServiceImpl::FindClusters(
    grpc::ServerContext*, const pb::FindClustersRequest* request,
    pb::FindClustersResponse* response) {
  return ToGrpcStatus(Clusters(catalog_, *request, *response));
}

grpc::Status PartnerMatchServiceImpl::GetExposureReport(
    grpc::ServerContext*, const pb::GetExposureReportRequest* request,
    pb::GetExposureReportResponse* response) {
  return ToGrpcStatus(Exposure(catalog_, suggester_, *request, *response));
}

grpc::Status PartnerMatchServiceImpl::GetTaxonomy(
    grpc::ServerContext*, const pb::GetTaxonomyRequest*,
    pb::GetTaxonomyResponse* response) {
  *response->mutable_taxonomy() = ToProto(catalog_.Snapshot()->taxonomy());
  return grpc::Status::OK;
}

}  // namespace pm::service
