// Fuzz target: the checks of every RPC's request (PartnerMatchApi), the
// layer a network client reaches. The first byte picks the RPC, the rest is
// that request in protobuf wire format (bytes that do not parse are refused
// by the gRPC layer before the API sees them). Reads run on the bundled
// profiles; writes on a small catalog made afresh for each input, so that a
// crash reproduces from its input alone. Any request must give a response or
// an error Status whose message stays short (it quotes at most a prefix of
// what the client sent), never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "data/bundled_data.h"
#include "engine/catalog/profile_catalog.h"
#include "engine/common/cancellation.h"
#include "engine/geo/gazetteer.h"
#include "engine/io/profile_format.h"
#include "partnermatch/v1/partner_match.pb.h"
#include "service/api/partner_match_api.h"

namespace {

namespace pb = ::partnermatch::v1;
using pm::service::PartnerMatchApi;

// An error message is for a person: it names the field and quotes a short
// prefix of the input, so it stays far below the size of a large request.
constexpr size_t kMaxErrorMessage = 4096;

std::unique_ptr<pm::ProfileCatalog> BundledCatalog() {
  auto profiles = pm::ParseProfilesJsonl(pm::bundled::File_profiles_jsonl(),
                                         "data/profiles.jsonl",
                                         pm::Gazetteer::Bundled());
  if (!profiles.ok()) std::abort();
  auto catalog = pm::ProfileCatalog::InMemory(*std::move(profiles));
  if (!catalog.ok()) std::abort();
  return *std::move(catalog);
}

std::unique_ptr<pm::ProfileCatalog> SmallCatalog() {
  std::vector<pm::Profile> profiles(3);
  const char* ids[] = {"lugo", "cali", "bari"};
  const char* countries[] = {"ES", "CO", "IT"};
  for (int i = 0; i < 3; ++i) {
    profiles[i].id = ids[i];
    profiles[i].name = ids[i];
    profiles[i].kind = pm::PlaceKind::kCity;
    profiles[i].country = countries[i];
    profiles[i].text = "Offers water efficiency; seeks sustainable tourism.";
  }
  auto catalog = pm::ProfileCatalog::InMemory(std::move(profiles));
  if (!catalog.ok()) std::abort();
  return *std::move(catalog);
}

template <typename Request, typename Response, typename Call>
void Run(const uint8_t* data, size_t size, Call call) {
  Request request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return;
  Response response;
  const absl::Status status = call(request, response);
  if (status.message().size() > kMaxErrorMessage) std::abort();
  std::string wire;
  if (status.ok() && !response.SerializeToString(&wire)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static pm::ProfileCatalog* const bundled = BundledCatalog().release();
  static PartnerMatchApi* const reads = new PartnerMatchApi(*bundled);
  if (size == 0) return 0;
  const uint8_t rpc = data[0];
  ++data;
  --size;
  auto read = [&](auto method) {
    return [method](const auto& request, auto& response) {
      // The long-running reads also take a cancellation token.
      if constexpr (std::is_invocable_v<decltype(method), const PartnerMatchApi*,
                                        decltype(request), decltype(response)>) {
        return (reads->*method)(request, response);
      } else {
        return (reads->*method)(request, response, pm::CancellationToken{});
      }
    };
  };
  switch (rpc % 12) {
    case 0:
      Run<pb::GetProfileRequest, pb::GetProfileResponse>(
                 data, size, read(&PartnerMatchApi::GetProfile));
      return 0;
    case 1:
      Run<pb::ListProfilesRequest, pb::ListProfilesResponse>(
                 data, size, read(&PartnerMatchApi::ListProfiles));
      return 0;
    case 2:
      Run<pb::SuggestPartnersRequest, pb::SuggestPartnersResponse>(
                 data, size, read(&PartnerMatchApi::SuggestPartners));
      return 0;
    case 3:
      Run<pb::ExplainMatchRequest, pb::ExplainMatchResponse>(
                 data, size, read(&PartnerMatchApi::ExplainMatch));
      return 0;
    case 4:
      Run<pb::GetTaxonomyRequest, pb::GetTaxonomyResponse>(
                 data, size, read(&PartnerMatchApi::GetTaxonomy));
      return 0;
    case 5:
      Run<pb::ProposePairingsRequest, pb::ProposePairingsResponse>(
                 data, size, read(&PartnerMatchApi::ProposePairings));
      return 0;
    case 6:
      Run<pb::FindClustersRequest, pb::FindClustersResponse>(
                 data, size, read(&PartnerMatchApi::FindClusters));
      return 0;
    case 7:
      Run<pb::ListDecisionsRequest, pb::ListDecisionsResponse>(
                 data, size, read(&PartnerMatchApi::ListDecisions));
      return 0;
    case 8:
      Run<pb::GetExposureReportRequest, pb::GetExposureReportResponse>(
                 data, size, read(&PartnerMatchApi::GetExposureReport));
      return 0;
    default:
      break;
  }
  // The writes, each on a catalog of its own.
  auto catalog = SmallCatalog();
  PartnerMatchApi writes(*catalog);
  switch (rpc % 12) {
    case 9:
      Run<pb::UpsertProfilesRequest, pb::UpsertProfilesResponse>(
          data, size, [&](const auto& request, auto& response) {
            return writes.UpsertProfiles(request, response);
          });
      break;
    case 10:
      Run<pb::DeleteProfileRequest, pb::DeleteProfileResponse>(
          data, size, [&](const auto& request, auto&) {
            return writes.DeleteProfile(request);
          });
      break;
    default:
      Run<pb::RecordDecisionRequest, pb::RecordDecisionResponse>(
          data, size, [&](const auto& request, auto& response) {
            return writes.RecordDecision(request, response);
          });
      break;
  }
  return 0;
}
