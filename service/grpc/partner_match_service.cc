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
                                                 ReciprocalScorer scorer,
                                                 CallerPolicy policy)
    : api_(catalog, std::move(scorer)), policy_(std::move(policy)) {}

template <typename Run>
grpc::Status PartnerMatchServiceImpl::Serve(grpc::ServerContext* context,
                                            Access access, Run run) {
  Caller caller;
  if (policy_.tokens && (access == Access::kWrite || policy_.reads)) {
    const auto& metadata = context->client_metadata();
    const auto it = metadata.find("authorization");
    const std::string_view value =
        it == metadata.end()
            ? std::string_view()
            : std::string_view(it->second.data(), it->second.size());
    absl::StatusOr<std::string> name = policy_.tokens->Authorize(value, access);
    if (!name.ok()) return ToGrpcStatus(name.status());
    caller.name = *std::move(name);
  }
  // The server's shutdown (stopped_), the call's deadline, and whatever
  // else gRPC cancels it for (the client's cancellation, a reset).
  caller.cancel = CancellationToken([this, context] {
    return stopped_.load(std::memory_order_relaxed) ||
           std::chrono::system_clock::now() > context->deadline() ||
           context->IsCancelled();
  });
  return ToGrpcStatus(run(caller));
}

grpc::Status PartnerMatchServiceImpl::UpsertProfiles(
    grpc::ServerContext* context, const pb::UpsertProfilesRequest* request,
    pb::UpsertProfilesResponse* response) {
  return Serve(context, Access::kWrite, [&](const Caller&) {
    return api_.UpsertProfiles(*request, *response);
  });
}

grpc::Status PartnerMatchServiceImpl::GetProfile(
    grpc::ServerContext* context, const pb::GetProfileRequest* request,
    pb::GetProfileResponse* response) {
  return Serve(context, Access::kRead, [&](const Caller&) {
    return api_.GetProfile(*request, *response);
  });
}

grpc::Status PartnerMatchServiceImpl::ListProfiles(
    grpc::ServerContext* context, const pb::ListProfilesRequest* request,
    pb::ListProfilesResponse* response) {
  return Serve(context, Access::kRead, [&](const Caller&) {
    return api_.ListProfiles(*request, *response);
  });
}

grpc::Status PartnerMatchServiceImpl::DeleteProfile(
    grpc::ServerContext* context, const pb::DeleteProfileRequest* request,
    pb::DeleteProfileResponse*) {
  return Serve(context, Access::kWrite,
               [&](const Caller&) { return api_.DeleteProfile(*request); });
}

grpc::Status PartnerMatchServiceImpl::SuggestPartners(
    grpc::ServerContext* context, const pb::SuggestPartnersRequest* request,
    pb::SuggestPartnersResponse* response) {
  return Serve(context, Access::kRead, [&](const Caller& caller) {
    return api_.SuggestPartners(*request, *response, caller.cancel);
  });
}

grpc::Status PartnerMatchServiceImpl::ExplainMatch(
    grpc::ServerContext* context, const pb::ExplainMatchRequest* request,
    pb::ExplainMatchResponse* response) {
  return Serve(context, Access::kRead, [&](const Caller&) {
    return api_.ExplainMatch(*request, *response);
  });
}

grpc::Status PartnerMatchServiceImpl::RecordDecision(
    grpc::ServerContext* context, const pb::RecordDecisionRequest* request,
    pb::RecordDecisionResponse* response) {
  return Serve(context, Access::kWrite, [&](const Caller& caller) {
    return api_.RecordDecision(*request, *response, caller.name);
  });
}

grpc::Status PartnerMatchServiceImpl::ListDecisions(
    grpc::ServerContext* context, const pb::ListDecisionsRequest* request,
    pb::ListDecisionsResponse* response) {
  return Serve(context, Access::kRead, [&](const Caller&) {
    return api_.ListDecisions(*request, *response);
  });
}

grpc::Status PartnerMatchServiceImpl::ProposePairings(
    grpc::ServerContext* context, const pb::ProposePairingsRequest* request,
    pb::ProposePairingsResponse* response) {
  return Serve(context, Access::kRead, [&](const Caller& caller) {
    return api_.ProposePairings(*request, *response, caller.cancel);
  });
}

grpc::Status PartnerMatchServiceImpl::FindClusters(
    grpc::ServerContext* context, const pb::FindClustersRequest* request,
    pb::FindClustersResponse* response) {
  return Serve(context, Access::kRead, [&](const Caller& caller) {
    return api_.FindClusters(*request, *response, caller.cancel);
  });
}

grpc::Status PartnerMatchServiceImpl::GetExposureReport(
    grpc::ServerContext* context, const pb::GetExposureReportRequest* request,
    pb::GetExposureReportResponse* response) {
  return Serve(context, Access::kRead, [&](const Caller& caller) {
    return api_.GetExposureReport(*request, *response, caller.cancel);
  });
}

grpc::Status PartnerMatchServiceImpl::GetTaxonomy(
    grpc::ServerContext* context, const pb::GetTaxonomyRequest* request,
    pb::GetTaxonomyResponse* response) {
  return Serve(context, Access::kRead, [&](const Caller&) {
    return api_.GetTaxonomy(*request, *response);
  });
}

}  // namespace pm::service
