// The network picture: the cohort's places coloured by thematic cluster,
// planned pairs bold, known partnerships dashed; laid out and drawn by
// engine/graph (no Graphviz).
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/graph/graph_svg.h"
#include "service/report/report_html.h"
#include "service/report/report_sections.h"

namespace pm::service {
namespace {

namespace v1 = partnermatch::v1;

constexpr const char* kEuStroke = "#1f4e9c";
constexpr const char* kPartnerStroke = "#c0661a";
// Clusters up to this size are held together by links between all their
// members, larger ones by links to their central members.
constexpr int kAllPairsCluster = 40;

GraphPicture NetworkPicture(const ReportIndex& index) {
  const ReportData& data = index.data();
  GraphPicture picture;
  picture.title = "Places by thematic cluster, planned pairs and known partnerships";
  std::map<std::string, size_t> node_of;
  std::vector<std::string> cluster_names;
  for (const v1::ThematicCluster& c : data.clusters.clusters()) {
    std::vector<std::string> labels;
    for (const std::string& t : c.themes()) labels.push_back(index.ThemeLabel(t));
    cluster_names.push_back(absl::StrJoin(labels, ", "));
  }
  for (const v1::GetProfileResponse& p : data.places) {
    const v1::Profile& profile = p.profile();
    const int cluster = index.ClusterOf(profile.id());
    PictureNode node;
    node.id = profile.id();
    node.label = absl::StrCat(profile.name(), "\n", profile.country());
    node.tooltip = absl::StrCat(
        profile.name(), " (", profile.country(), ", ",
        profile.eu_member() ? "EU member" : "partner country", ")",
        cluster >= 0 ? absl::StrCat(" · cluster ", cluster + 1, ": ",
                                    cluster_names[cluster])
                     : " · in no cluster");
    node.fill = ReportIndex::ClusterColour(cluster);
    node.stroke = profile.eu_member() ? kEuStroke : kPartnerStroke;
    node.stroke_width = 2.5;
    node.group = cluster >= 0 ? absl::StrCat("cluster-", cluster + 1) : "";
    node_of[profile.id()] = picture.nodes.size();
    picture.nodes.push_back(std::move(node));
  }
  // Each cluster held together by invisible links between its members
  // (in a large cluster, to its most central members only).
  for (const v1::ThematicCluster& c : data.clusters.clusters()) {
    const bool all_pairs = c.member_ids_size() <= kAllPairsCluster;
    for (int i = 0; i < c.member_ids_size(); ++i) {
      for (int j = i + 1; j < c.member_ids_size(); ++j) {
        const std::string& a = c.member_ids(i);
        const std::string& b = c.member_ids(j);
        const auto& central = c.central_member_ids();
        if (!all_pairs && std::find(central.begin(), central.end(), a) == central.end() &&
            std::find(central.begin(), central.end(), b) == central.end()) {
          continue;
        }
        const auto na = node_of.find(a), nb = node_of.find(b);
        if (na == node_of.end() || nb == node_of.end()) continue;
        PictureEdge pull;
        pull.a = na->second;
        pull.b = nb->second;
        pull.layout_weight = 0.5;
        pull.drawn = false;
        picture.edges.push_back(pull);
      }
    }
  }
  std::set<std::pair<std::string, std::string>> drawn;
  const auto key = [](const std::string& a, const std::string& b) {
    return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
  };
  for (const v1::PlannedGroup& g : data.plan.groups()) {
    for (const v1::PairReasons& pair : g.pairs()) {
      const auto a = node_of.find(pair.profile_id());
      const auto b = node_of.find(pair.partner_id());
      if (a == node_of.end() || b == node_of.end()) continue;
      PictureEdge e;
      e.a = a->second;
      e.b = b->second;
      e.layout_weight = 1;
      e.width = 3.5;
      e.colour = "#222222";
      e.kind = "planned";
      e.tooltip = absl::StrCat("planned: ", index.Name(pair.profile_id()), " — ",
                               index.Name(pair.partner_id()), " ",
                               ScoreText(pair.score()));
      drawn.insert(key(pair.profile_id(), pair.partner_id()));
      picture.edges.push_back(std::move(e));
    }
  }
  // Known partnerships: the profiles' own lists and "existing" decisions.
  std::set<std::pair<std::string, std::string>> known;
  for (const v1::GetProfileResponse& p : data.places) {
    for (const std::string& partner : p.profile().known_partners()) {
      known.insert(key(p.profile().id(), partner));
    }
  }
  for (const v1::Decision& d : data.decisions) {
    if (d.kind() == "existing") known.insert(key(d.profile_id(), d.partner_id()));
  }
  for (const auto& [a_id, b_id] : known) {
    const auto a = node_of.find(a_id);
    const auto b = node_of.find(b_id);
    if (a == node_of.end() || b == node_of.end()) continue;
    PictureEdge e;
    e.a = a->second;
    e.b = b->second;
    e.layout_weight = 0.3;
    e.width = 1.8;
    e.colour = "#6b6b6b";
    e.style = LineStyle::kDashed;
    e.kind = "known";
    e.tooltip = absl::StrCat("known partnership: ", index.Name(a_id), " — ",
                             index.Name(b_id));
    picture.edges.push_back(std::move(e));
  }
  for (size_t c = 0; c < cluster_names.size(); ++c) {
    picture.legend.push_back({absl::StrCat("cluster ", c + 1, ": ", cluster_names[c]),
                              ReportIndex::ClusterColour(static_cast<int>(c)),
                              "#ffffff"});
  }
  picture.legend.push_back({"in no cluster", ReportIndex::ClusterColour(-1), "#ffffff"});
  picture.legend.push_back({"EU member (blue ring)", "#ffffff", kEuStroke, false,
                            LineStyle::kSolid, 2.5});
  picture.legend.push_back({"partner country (orange ring)", "#ffffff",
                            kPartnerStroke, false, LineStyle::kSolid, 2.5});
  picture.legend.push_back(
      {"planned pair", "", "#222222", true, LineStyle::kSolid, 3.5});
  picture.legend.push_back(
      {"known partnership", "", "#6b6b6b", true, LineStyle::kDashed, 1.8});
  return picture;
}

}  // namespace

std::string NetworkSection(const ReportIndex& index) {
  return absl::StrCat(
      "<section id=\"network\"><h2>The network</h2><p class=\"note\">Each "
      "circle is a place, coloured by its thematic cluster; places of a "
      "cluster are drawn near each other. Hover over a place or a line for "
      "details; the filters above dim the places they leave out.</p>"
      "<div class=\"figure\">",
      PictureSvg(NetworkPicture(index)), "</div></section>\n");
}

}  // namespace pm::service
