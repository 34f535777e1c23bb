#include "engine/graph/graph_dot.h"
#include "service/convert.h"

namespace pm::service {

namespace pb = partnermatch::v1;

pb::Suggestion ToProto(const DiverseSuggestion& suggestion,
                       const MatchIndex& index, size_t self) {
  pb::Suggestion out = ToProto(suggestion.suggestion, index, self);
  out.set_exposure(suggestion.exposure);
  out.set_plain_rank(suggestion.plain_rank);
  out.set_ranking_score(suggestion.ranking_score);
  return out;
}

pb::FindClustersResponse ToProto(const ThematicClustering& clustering,
                                 const MatchIndex& index) {
  pb::FindClustersResponse out;
  for (const ThematicCluster& cluster : clustering.clusters) {
    pb::ThematicCluster* c = out.add_clusters();
    for (size_t row : cluster.members) c->add_member_ids(index.at(row).profile.id);
    for (const ClusterTheme& theme : cluster.themes) {
      c->add_themes(index.taxonomy().themes()[theme.theme].id);
    }
    for (size_t row : cluster.central_members) {
      c->add_central_member_ids(index.at(row).profile.id);
    }
  }
  for (size_t row : clustering.unclustered) {
    out.add_unclustered_ids(index.at(row).profile.id);
  }
  out.set_modularity(clustering.modularity);
  out.set_dot(SimilarityGraphDot(index, clustering.graph, clustering.clusters));
  return out;
}

pb::GetExposureReportResponse ToProto(const ExposureReport& report,
                                      const MatchIndex& index) {
  pb::GetExposureReportResponse out;
  out.set_top_n(report.top_n);
  out.set_diversity(report.lambda);
  out.set_exact(report.exact);
  out.set_lists(static_cast<int32_t>(report.queries));
  for (const ExposureEntry& entry : report.entries) {
    pb::ExposureEntry* e = out.add_entries();
    e->set_profile_id(index.at(entry.row).profile.id);
    e->set_name(index.at(entry.row).profile.name);
    e->set_before(entry.before);
    e->set_after(entry.after);
  }
  const auto concentration = [](const ExposureConcentration& in,
                                pb::ExposureConcentration* c) {
    c->set_max(in.max);
    c->set_gini(in.gini);
    c->set_top_decile_share(in.top_decile_share);
    c->set_exposed_places(static_cast<int32_t>(in.exposed_places));
  };
  concentration(report.before, out.mutable_before());
  concentration(report.after, out.mutable_after());
  return out;
}

CohortSelector FromProto(const pb::CohortSelector& selector) {
  CohortSelector out;
  out.ids.assign(selector.ids().begin(), selector.ids().end());
  out.kind = selector.kind();
  out.world_region = selector.world_region();
  return out;
}

}  // namespace pm::service
