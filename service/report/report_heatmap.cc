// The heat map of places × themes.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/report/report_html.h"
#include "service/report/report_sections.h"

namespace pm::service {
namespace {

namespace v1 = partnermatch::v1;

// The role's colour as "r, g, b" (the legend's CSS classes use the same).
const char* RoleRgb(const std::string& role) {
  if (role == "offer") return "27, 158, 119";
  if (role == "seek") return "217, 95, 2";
  if (role == "both") return "117, 112, 179";
  return "150, 150, 150";
}

}  // namespace

std::string HeatmapSection(const ReportIndex& index) {
  const ReportData& data = index.data();
  // The themes some place of the cohort has, in taxonomy order.
  std::set<std::string> present;
  for (const v1::GetProfileResponse& p : data.places) {
    for (const v1::ThemeInterest& t : p.themes()) present.insert(t.theme());
  }
  std::vector<std::string> themes;
  for (const v1::Theme& t : data.taxonomy.themes()) {
    if (present.count(t.id())) themes.push_back(t.id());
  }
  std::string out =
      "<section id=\"heatmap\"><h2>Places and themes</h2>"
      "<p class=\"legend\"><span class=\"swatch role-offer\"></span>offers "
      "<span class=\"swatch role-seek\"></span>seeks "
      "<span class=\"swatch role-both\"></span>offers and seeks "
      "<span class=\"swatch role-context\"></span>background; the stronger "
      "the colour, the more evidence</p><div class=\"scroll\">"
      "<table class=\"heatmap\"><thead><tr><th class=\"place\">place</th>";
  for (const std::string& theme : themes) {
    absl::StrAppend(&out, "<th class=\"theme\" title=\"", Html(theme),
                    "\"><span>", Html(index.ThemeLabel(theme)), "</span></th>");
  }
  absl::StrAppend(&out, "</tr></thead><tbody>");
  for (const v1::GetProfileResponse& p : data.places) {
    std::map<std::string, const v1::ThemeInterest*> of;
    for (const v1::ThemeInterest& t : p.themes()) of[t.theme()] = &t;
    absl::StrAppend(&out, "<tr class=\"filterable\" data-id=\"",
                    Html(p.profile().id()), "\"",
                    index.FilterAttributes({p.profile().id()}),
                    "><th class=\"place\"><a href=\"#place-",
                    Html(p.profile().id()), "\">", Html(p.profile().name()),
                    "</a> <span class=\"cc\">", Html(p.profile().country()),
                    "</span></th>");
    for (const std::string& theme : themes) {
      const auto it = of.find(theme);
      if (it == of.end()) {
        absl::StrAppend(&out, "<td></td>");
        continue;
      }
      const v1::ThemeInterest& t = *it->second;
      absl::StrAppend(
          &out, "<td class=\"cell role-", Html(t.role()),
          "\" style=\"background: rgba(", RoleRgb(t.role()), ", ",
          absl::StrFormat("%.2f", 0.3 + 0.7 * t.weight()), ")\" title=\"",
          Html(absl::StrCat(p.profile().name(), " ", RoleWords(t.role()), " ",
                            index.ThemeLabel(theme),
                            absl::StrFormat(" (weight %.2f)", t.weight()))),
          "\"></td>");
    }
    absl::StrAppend(&out, "</tr>");
  }
  absl::StrAppend(&out, "</tbody></table></div></section>\n");
  return out;
}

}  // namespace pm::service
