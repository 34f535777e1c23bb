// Everything the report page shows, gathered through PartnerMatchApi (the
// same requests a gRPC client would make): the cohort's profiles with their
// themes, the pairing plan, the thematic clusters, each place's top
// suggestions, the decision log and the taxonomy's labels.
#ifndef PARTNER_MATCH_SERVICE_REPORT_REPORT_DATA_H_
#define PARTNER_MATCH_SERVICE_REPORT_REPORT_DATA_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/common/progress.h"
#include "partnermatch/v1/partner_match.pb.h"
#include "service/api/partner_match_api.h"

namespace pm::service {

struct ReportRequest {
  partnermatch::v1::CohortSelector cohort;
  partnermatch::v1::PairingOptions pairing;
  int suggestions = 5;  // top suggestions shown per place
  std::string title;    // empty: "Pairing plan for N places"
  std::string source;   // where the profiles come from, e.g. the store path
};

struct ReportData {
  ReportRequest request;
  // The cohort (every place of the plan, planned or not), by name.
  std::vector<partnermatch::v1::GetProfileResponse> places;
  partnermatch::v1::ProposePairingsResponse plan;
  partnermatch::v1::FindClustersResponse clusters;
  std::map<std::string, partnermatch::v1::SuggestPartnersResponse> suggestions;
  // The whole log, oldest first.
  std::vector<partnermatch::v1::Decision> decisions;
  partnermatch::v1::Taxonomy taxonomy;
  std::string generated_at;  // RFC 3339 UTC
};

// Gathers the report's data; the errors of the API's calls (an unknown id in
// the cohort, a bad option) as they are. `progress` (may be null) is told of
// the per-place suggestions.
absl::StatusOr<ReportData> GatherReport(const PartnerMatchApi& api,
                                        const ReportRequest& request,
                                        Progress* progress = nullptr);

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_REPORT_REPORT_DATA_H_
