// Every place: its extracted themes with the sentences that prove them, and
// its top suggestions with reasons.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "service/report/report_html.h"
#include "service/report/report_sections.h"

namespace pm::service {
namespace {

namespace v1 = partnermatch::v1;

std::string ThemesHtml(const ReportIndex& index, const v1::GetProfileResponse& p) {
  if (p.themes().empty()) {
    return "<p class=\"note\">No theme found in this profile.</p>";
  }
  std::string out = "<ul class=\"themes\">";
  for (const v1::ThemeInterest& t : p.themes()) {
    absl::StrAppend(&out, "<li><span class=\"chip role-", Html(t.role()), "\">",
                    Html(index.ThemeLabel(t.theme())), "</span> ",
                    Html(RoleWords(t.role())),
                    absl::StrFormat(" <span class=\"weight\">%.2f</span>", t.weight()));
    for (const v1::Evidence& e : t.evidence()) {
      absl::StrAppend(&out, "<blockquote>“", MarkedSentence(e), "”</blockquote>");
    }
    absl::StrAppend(&out, "</li>");
  }
  absl::StrAppend(&out, "</ul>");
  return out;
}

std::string SuggestionsHtml(const ReportIndex& index,
                            const v1::GetProfileResponse& p) {
  const auto it = index.data().suggestions.find(p.profile().id());
  if (it == index.data().suggestions.end() || it->second.suggestions().empty()) {
    return "<p class=\"note\">No eligible partner.</p>";
  }
  std::string out = "<ol class=\"suggestions\">";
  for (const v1::Suggestion& s : it->second.suggestions()) {
    absl::StrAppend(&out, "<li><div class=\"suggestion-head\"><b>",
                    Html(index.NameCountry(s.partner_id())),
                    "</b> <span class=\"score\">", ScoreText(s.score()), "</span>",
                    s.weak() ? " <span class=\"badge weak\">weak</span>" : "",
                    "</div>");
    for (const std::string& penalty : s.penalties()) {
      absl::StrAppend(&out, "<div class=\"penalty\">− ", Html(penalty), "</div>");
    }
    for (int r = 0; r < s.reasons_size() && r < 2; ++r) {
      absl::StrAppend(&out, ReasonHtml(s.reasons(r), p.profile().name(), s.name()));
    }
    absl::StrAppend(&out, "</li>");
  }
  absl::StrAppend(&out, "</ol>");
  return out;
}

}  // namespace

std::string PlacesSection(const ReportIndex& index) {
  std::string out =
      "<section id=\"places\"><h2>Places: themes and top suggestions</h2>";
  for (const v1::GetProfileResponse& p : index.data().places) {
    const v1::Profile& profile = p.profile();
    const int cluster = index.ClusterOf(profile.id());
    absl::StrAppend(
        &out, "<article class=\"place filterable\" id=\"place-",
        Html(profile.id()), "\" data-id=\"", Html(profile.id()), "\"",
        index.FilterAttributes({profile.id()}), "><h3>", Html(profile.name()),
        " <span class=\"meta\">", Html(profile.kind()), " · ",
        Html(profile.country()), " · ",
        profile.eu_member() ? "EU member" : "partner country", " · ",
        Html(profile.world_region()), "</span>",
        cluster >= 0
            ? absl::StrCat(" <span class=\"chip cluster\" style=\"background:",
                           ReportIndex::ClusterColour(cluster), "\">cluster ",
                           cluster + 1, "</span>")
            : "",
        "</h3><div class=\"columns\"><div><h4>Themes and their proof</h4>",
        ThemesHtml(index, p), "</div><div><h4>Top suggestions</h4>",
        SuggestionsHtml(index, p), "</div></div></article>\n");
  }
  absl::StrAppend(&out, "</section>\n");
  return out;
}

}  // namespace pm::service
