#include "service/grpc/partner_match_service.h"

#include <string>
#include <utility>

namespace pm::service {
namespace {

namespace pb = ::partnermatch::v1;

// absl's canonical codes are gRPC's, value for value (absl/status/status.h).
static_assert(static_cast<int>(absl::StatusCode::kInvalidArgument) ==
              static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
static_assert(static_cast<int>(absl::StatusCode::kUnauthenticated) ==
              static_cast<int>(grpc::StatusCode::UNAUTHENTICATED));

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
    : api_(catalog, std::move(scorer)) {}

grpc::Status PartnerMatchServiceImpl::UpsertProfiles(grpc::ServerContext*,
                                          const pb::UpsertProfilesRequest* request,
                                          pb::UpsertProfilesResponse* response) {
  return ToGrpcStatus(api_.UpsertProfiles(*request, *response));
}

grpc::Status PartnerMatchServiceImpl::GetProfile(grpc::ServerContext*,
                                          const pb::GetProfileRequest* request,
                                          pb::GetProfileResponse* response) {
  return ToGrpcStatus(api_.GetProfile(*request, *response));
}

grpc::Status PartnerMatchServiceImpl::ListProfiles(grpc::ServerContext*,
                                          const pb::ListProfilesRequest* request,
                                          pb::ListProfilesResponse* response) {
  return ToGrpcStatus(api_.ListProfiles(*request, *response));
}

grpc::Status PartnerMatchServiceImpl::DeleteProfile(grpc::ServerContext*,
                                          const pb::DeleteProfileRequest* request,
                                          pb::DeleteProfileResponse*) {
  return ToGrpcStatus(api_.DeleteProfile(*request));
}

grpc::Status PartnerMatchServiceImpl::SuggestPartners(grpc::ServerContext*,
                                          const pb::SuggestPartnersRequest* request,
                                          pb::SuggestPartnersResponse* response) {
  return ToGrpcStatus(api_.SuggestPartners(*request, *response));
}

grpc::Status PartnerMatchServiceImpl::ExplainMatch(grpc::ServerContext*,
                                          const pb::ExplainMatchRequest* request,
                                          pb::ExplainMatchResponse* response) {
  return ToGrpcStatus(api_.ExplainMatch(*request, *response));
}

grpc::Status PartnerMatchServiceImpl::RecordDecision(grpc::ServerContext*,
                                          const pb::RecordDecisionRequest* request,
                                          pb::RecordDecisionResponse* response) {
  return ToGrpcStatus(api_.RecordDecision(*request, *response));
}

grpc::Status PartnerMatchServiceImpl::ListDecisions(grpc::ServerContext*,
                                          const pb::ListDecisionsRequest* request,
                                          pb::ListDecisionsResponse* response) {
  return ToGrpcStatus(api_.ListDecisions(*request, *response));
}

grpc::Status PartnerMatchServiceImpl::ProposePairings(grpc::ServerContext*,
                                          const pb::ProposePairingsRequest* request,
                                          pb::ProposePairingsResponse* response) {
  return ToGrpcStatus(api_.ProposePairings(*request, *response));
}

grpc::Status PartnerMatchServiceImpl::FindClusters(grpc::ServerContext*,
                                          const pb::FindClustersRequest* request,
                                          pb::FindClustersResponse* response) {
  return ToGrpcStatus(api_.FindClusters(*request, *response));
}

grpc::Status PartnerMatchServiceImpl::GetExposureReport(grpc::ServerContext*,
                                          const pb::GetExposureReportRequest* request,
                                          pb::GetExposureReportResponse* response) {
  return ToGrpcStatus(api_.GetExposureReport(*request, *response));
}

grpc::Status PartnerMatchServiceImpl::GetTaxonomy(grpc::ServerContext*,
                                          const pb::GetTaxonomyRequest* request,
                                          pb::GetTaxonomyResponse* response) {
  return ToGrpcStatus(api_.GetTaxonomy(*request, *response));
}

}  // namespace pm::service
