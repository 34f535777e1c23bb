// The partnermatch.v1.PartnerMatch service: each RPC calls the application
// layer (service/api/partner_match_api.h) and converts its status
// (ToGrpcStatus, the one absl -> gRPC status conversion). Nothing else lives
// here.
#ifndef PARTNER_MATCH_SERVICE_GRPC_PARTNER_MATCH_SERVICE_H_
#define PARTNER_MATCH_SERVICE_GRPC_PARTNER_MATCH_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "engine/catalog/profile_catalog.h"
#include "engine/matching/reciprocal_scorer.h"
#include "partnermatch/v1/partner_match.grpc.pb.h"
#include "service/api/auth_tokens.h"
#include "service/api/partner_match_api.h"

namespace pm::service {

// The gRPC status with the same canonical code and message (absl's codes are
// gRPC's one for one; a code outside the canonical set becomes UNKNOWN).
grpc::Status ToGrpcStatus(const absl::Status& status);

// Who may call: with `tokens`, writes need a read-write token and, when
// `reads` is set, reads need a token too; without, anyone may call.
struct CallerPolicy {
  std::optional<AuthTokens> tokens;
  bool reads = false;
};

// Each RPC is PartnerMatchApi's method of the same name, its status
// converted by ToGrpcStatus; see PartnerMatchApi for what each does, its
// defaults, limits and errors. Before it runs, the caller's bearer token is
// checked against the policy (UNAUTHENTICATED, PERMISSION_DENIED); with
// tokens on, the `who` of a recorded decision is the token's name. The
// long calls get a CancellationToken that fires when the client cancels,
// the deadline passes or the server stops (Stop). Thread-safe as
// PartnerMatchApi is. Does not own the catalog, which must outlive it.
class PartnerMatchServiceImpl final
    : public partnermatch::v1::PartnerMatch::Service {
 public:
  PartnerMatchServiceImpl(ProfileCatalog& catalog, ReciprocalScorer scorer,
                          CallerPolicy policy = {});

  // Fires the cancellation token of every call, running or to come.
  void Stop() { stopped_.store(true); }

  grpc::Status UpsertProfiles(grpc::ServerContext* context,
                      const partnermatch::v1::UpsertProfilesRequest* request,
                      partnermatch::v1::UpsertProfilesResponse* response) override;
  grpc::Status GetProfile(grpc::ServerContext* context,
                      const partnermatch::v1::GetProfileRequest* request,
                      partnermatch::v1::GetProfileResponse* response) override;
  grpc::Status ListProfiles(grpc::ServerContext* context,
                      const partnermatch::v1::ListProfilesRequest* request,
                      partnermatch::v1::ListProfilesResponse* response) override;
  grpc::Status DeleteProfile(grpc::ServerContext* context,
                      const partnermatch::v1::DeleteProfileRequest* request,
                      partnermatch::v1::DeleteProfileResponse* response) override;
  grpc::Status SuggestPartners(grpc::ServerContext* context,
                      const partnermatch::v1::SuggestPartnersRequest* request,
                      partnermatch::v1::SuggestPartnersResponse* response) override;
  grpc::Status ExplainMatch(grpc::ServerContext* context,
                      const partnermatch::v1::ExplainMatchRequest* request,
                      partnermatch::v1::ExplainMatchResponse* response) override;
  grpc::Status RecordDecision(grpc::ServerContext* context,
                      const partnermatch::v1::RecordDecisionRequest* request,
                      partnermatch::v1::RecordDecisionResponse* response) override;
  grpc::Status ListDecisions(grpc::ServerContext* context,
                      const partnermatch::v1::ListDecisionsRequest* request,
                      partnermatch::v1::ListDecisionsResponse* response) override;
  grpc::Status ProposePairings(grpc::ServerContext* context,
                      const partnermatch::v1::ProposePairingsRequest* request,
                      partnermatch::v1::ProposePairingsResponse* response) override;
  grpc::Status FindClusters(grpc::ServerContext* context,
                      const partnermatch::v1::FindClustersRequest* request,
                      partnermatch::v1::FindClustersResponse* response) override;
  grpc::Status GetExposureReport(grpc::ServerContext* context,
                      const partnermatch::v1::GetExposureReportRequest* request,
                      partnermatch::v1::GetExposureReportResponse* response) override;
  grpc::Status GetTaxonomy(grpc::ServerContext* context,
                      const partnermatch::v1::GetTaxonomyRequest* request,
                      partnermatch::v1::GetTaxonomyResponse* response) override;

 private:
  // The caller's name (empty when the policy needs none for `access`) and
  // the call's cancellation token.
  struct Caller {
    std::string name;
    CancellationToken cancel;
  };
  // `run(caller)` once the caller passes the policy for `access`.
  template <typename Run>
  grpc::Status Serve(grpc::ServerContext* context, Access access, Run run);

  PartnerMatchApi api_;
  const CallerPolicy policy_;
  std::atomic<bool> stopped_{false};
};

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_GRPC_PARTNER_MATCH_SERVICE_H_
