// The pairing plan: one row per group, then the unmatched places.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/report/report_html.h"
#include "service/report/report_sections.h"

namespace pm::service {
namespace {

namespace v1 = partnermatch::v1;

// Reasons shown before "more reasons" folds the rest away.
constexpr int kShownReasons = 2;

std::string PairReasonsHtml(const ReportIndex& index, const v1::PairReasons& pair,
                            bool name_pair) {
  const std::string a = index.Name(pair.profile_id());
  const std::string b = index.Name(pair.partner_id());
  std::string out;
  if (name_pair) {
    absl::StrAppend(&out, "<div class=\"pair-head\">", Html(a), " — ", Html(b),
                    " <span class=\"score\">", ScoreText(pair.score()),
                    "</span>", pair.weak() ? " <span class=\"badge weak\">weak</span>" : "",
                    "</div>");
  }
  if (pair.reasons().empty()) {
    absl::StrAppend(&out, "<div class=\"reason none\">no reason to show: "
                          "little in common</div>");
  }
  for (int r = 0; r < pair.reasons_size(); ++r) {
    if (r == kShownReasons) {
      absl::StrAppend(&out, "<details><summary>",
                      pair.reasons_size() - kShownReasons,
                      " more reasons</summary>");
    }
    absl::StrAppend(&out, ReasonHtml(pair.reasons(r), a, b));
  }
  if (pair.reasons_size() > kShownReasons) absl::StrAppend(&out, "</details>");
  return out;
}

}  // namespace

std::string PlanSection(const ReportIndex& index) {
  const v1::ProposePairingsResponse& plan = index.data().plan;
  std::string out = absl::StrCat(
      "<section id=\"plan\"><h2>The pairing plan</h2><p class=\"note\">",
      plan.groups_size(), " groups, ", plan.unmatched_size(),
      " unmatched, total score ", ScoreText(plan.total_score()),
      ". Highlighted words are the evidence the engine found in each "
      "profile. Click a column heading to sort.</p>"
      "<table id=\"plan-table\" class=\"sortable plan\"><thead><tr>"
      "<th class=\"num\">#</th><th>group</th><th>kind</th>"
      "<th class=\"num\">score</th><th class=\"nosort\">why: reasons and "
      "evidence of both profiles</th></tr></thead><tbody>");
  for (int i = 0; i < plan.groups_size(); ++i) {
    const v1::PlannedGroup& g = plan.groups(i);
    std::vector<std::string> members;
    for (const std::string& id : g.member_ids()) {
      const v1::GetProfileResponse* p = index.Find(id);
      const bool eu = p != nullptr && p->profile().eu_member();
      members.push_back(absl::StrCat(
          "<a class=\"member ", eu ? "eu" : "partner", "\" href=\"#place-",
          Html(id), "\">", Html(index.NameCountry(id)), "</a>"));
    }
    absl::StrAppend(
        &out, "<tr class=\"group filterable", g.weak() ? " weak" : "",
        "\" data-members=\"", Html(absl::StrJoin(g.member_ids(), " ")), "\"",
        index.FilterAttributes(g.member_ids()), "><td class=\"num\">", i + 1,
        "</td><td class=\"members\">", absl::StrJoin(members, "<br>"),
        g.fixed() ? "<br><span class=\"badge fixed\">fixed</span>" : "",
        g.weak() ? "<br><span class=\"badge weak\">weak: check first</span>" : "",
        "</td><td>", Html(g.kind()), "</td><td class=\"num score\">",
        ScoreText(g.score()), "</td><td class=\"why\">");
    for (const v1::PairReasons& pair : g.pairs()) {
      absl::StrAppend(&out, PairReasonsHtml(index, pair, g.pairs_size() > 1));
    }
    absl::StrAppend(&out, "</td></tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table>");
  if (!plan.conflicts().empty()) {
    absl::StrAppend(&out, "<h3>Decisions left out of the plan</h3><ul>");
    for (const v1::PlanConflict& c : plan.conflicts()) {
      absl::StrAppend(&out, "<li>", Html(c.message()), "</li>");
    }
    absl::StrAppend(&out, "</ul>");
  }
  absl::StrAppend(
      &out, "<h3>Unmatched places</h3>",
      plan.unmatched().empty() ? "<p class=\"note\">None: every place has a group.</p>" : "",
      "<table id=\"unmatched-table\" class=\"sortable\"><thead><tr><th>place</th>"
      "<th>cause</th><th>best eligible partner</th><th class=\"num\">its "
      "score</th><th class=\"nosort\">why</th></tr></thead><tbody>");
  for (const v1::UnmatchedMember& u : plan.unmatched()) {
    absl::StrAppend(
        &out, "<tr class=\"filterable\"",
        index.FilterAttributes({u.profile_id()}), "><td><a href=\"#place-",
        Html(u.profile_id()), "\">", Html(index.NameCountry(u.profile_id())),
        "</a></td><td>", Html(u.cause()), "</td><td>",
        Html(u.best_partner_id().empty() ? "—"
                                         : index.NameCountry(u.best_partner_id())),
        "</td><td class=\"num\">",
        u.best_partner_id().empty() ? "" : ScoreText(u.best_score()),
        "</td><td>", Html(u.reason()), "</td></tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table></section>\n");
  return out;
}

}  // namespace pm::service
