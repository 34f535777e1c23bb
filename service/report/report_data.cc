#include "service/report/report_data.h"

#include <algorithm>
#include <set>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace pm::service {

namespace v1 = partnermatch::v1;

absl::StatusOr<ReportData> GatherReport(const PartnerMatchApi& api,
                                        const ReportRequest& request,
                                        Progress* progress) {
  ReportData data;
  data.request = request;
  data.generated_at =
      absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::Now(), absl::UTCTimeZone());
  v1::ProposePairingsRequest plan_request;
  *plan_request.mutable_cohort() = request.cohort;
  *plan_request.mutable_options() = request.pairing;
  if (absl::Status s = api.ProposePairings(plan_request, data.plan); !s.ok()) {
    return s;
  }
  v1::FindClustersRequest cluster_request;
  *cluster_request.mutable_cohort() = request.cohort;
  if (absl::Status s = api.FindClusters(cluster_request, data.clusters);
      !s.ok()) {
    return s;
  }
  // The cohort: every member of a group, and every unmatched place.
  std::set<std::string> ids;
  for (const v1::PlannedGroup& g : data.plan.groups()) {
    ids.insert(g.member_ids().begin(), g.member_ids().end());
  }
  for (const v1::UnmatchedMember& u : data.plan.unmatched()) {
    ids.insert(u.profile_id());
  }
  ProgressTask task(progress, "suggesting partners", ids.size());
  for (const std::string& id : ids) {
    v1::GetProfileRequest get;
    get.set_id(id);
    v1::GetProfileResponse& place = data.places.emplace_back();
    if (absl::Status s = api.GetProfile(get, place); !s.ok()) return s;
    v1::SuggestPartnersRequest suggest;
    suggest.set_profile_id(id);
    suggest.set_k(request.suggestions);
    if (absl::Status s = api.SuggestPartners(suggest, data.suggestions[id]);
        !s.ok()) {
      return s;
    }
    task.Step();
  }
  std::stable_sort(data.places.begin(), data.places.end(),
                   [](const v1::GetProfileResponse& a,
                      const v1::GetProfileResponse& b) {
                     return a.profile().name() < b.profile().name();
                   });
  v1::ListDecisionsRequest list;
  list.set_page_size(PartnerMatchApi::kMaxPageSize);
  do {
    v1::ListDecisionsResponse page;
    if (absl::Status s = api.ListDecisions(list, page); !s.ok()) return s;
    for (v1::Decision& d : *page.mutable_decisions()) {
      data.decisions.push_back(std::move(d));
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  v1::GetTaxonomyResponse taxonomy;
  if (absl::Status s = api.GetTaxonomy({}, taxonomy); !s.ok()) return s;
  data.taxonomy = std::move(*taxonomy.mutable_taxonomy());
  return data;
}

}  // namespace pm::service
