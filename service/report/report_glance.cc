// The cohort at a glance.
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/report/report_html.h"
#include "service/report/report_sections.h"

namespace pm::service {
namespace {

namespace v1 = partnermatch::v1;

std::string Card(int64_t number, std::string_view what) {
  return absl::StrCat("<div class=\"card\"><div class=\"big\">", number,
                      "</div><div>", Html(what), "</div></div>");
}

// A table of EU members / partner-country members by `key`.
std::string SideTable(const std::string& caption, const std::string& key_name,
                      const std::map<std::string, std::pair<int, int>>& counts) {
  std::string out = absl::StrCat(
      "<table class=\"compact sortable\"><caption>", Html(caption),
      "</caption><thead><tr><th>", Html(key_name),
      "</th><th class=\"num\">EU members</th><th class=\"num\">partner "
      "countries</th><th class=\"num\">total</th></tr></thead><tbody>");
  for (const auto& [key, c] : counts) {
    absl::StrAppend(&out, "<tr><td>", Html(key), "</td><td class=\"num\">",
                    c.first, "</td><td class=\"num\">", c.second,
                    "</td><td class=\"num\">", c.first + c.second,
                    "</td></tr>");
  }
  absl::StrAppend(&out, "</tbody></table>");
  return out;
}

}  // namespace

std::string GlanceSection(const ReportIndex& index) {
  const ReportData& data = index.data();
  std::map<std::string, std::pair<int, int>> by_kind, by_region;
  int eu = 0;
  for (const v1::GetProfileResponse& p : data.places) {
    const bool is_eu = p.profile().eu_member();
    eu += is_eu;
    auto& kind = by_kind[p.profile().kind()];
    auto& region = by_region[p.profile().world_region()];
    (is_eu ? kind.first : kind.second)++;
    (is_eu ? region.first : region.second)++;
  }
  int trios = 0, weak = 0;
  for (const v1::PlannedGroup& g : data.plan.groups()) {
    trios += g.member_ids_size() > 2;
    weak += g.weak();
  }
  const int places = static_cast<int>(data.places.size());
  std::string out =
      "<section id=\"glance\"><h2>The cohort at a glance</h2><div class=\"cards\">";
  absl::StrAppend(&out, Card(places, "places"), Card(eu, "EU members"),
                  Card(places - eu, "in partner countries"),
                  Card(data.plan.groups_size(),
                       trios > 0 ? absl::StrCat("groups (", trios, " trios)")
                                 : "pairs planned"),
                  Card(weak, "weak groups to check"),
                  Card(data.plan.unmatched_size(), "unmatched"),
                  Card(data.clusters.clusters_size(), "thematic clusters"),
                  Card(static_cast<int64_t>(data.decisions.size()), "decisions recorded"));
  absl::StrAppend(
      &out, "</div><p class=\"note\">Total plan score ",
      ScoreText(data.plan.total_score()), "; a group is marked weak when a pair scores below ",
      absl::StrFormat("%.2f", data.plan.weak_score()),
      " or shows no reason. Clusters have modularity ",
      absl::StrFormat("%.2f", data.clusters.modularity()), ".</p>");
  absl::StrAppend(&out, "<div class=\"columns\">",
                  SideTable("Places by kind", "kind", by_kind),
                  SideTable("Places by world region", "world region", by_region),
                  "</div></section>\n");
  return out;
}

}  // namespace pm::service
