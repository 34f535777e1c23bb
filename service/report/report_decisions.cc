// The decisions recorded so far, with who and when.
#include "absl/strings/str_cat.h"
#include "service/report/report_html.h"
#include "service/report/report_sections.h"

namespace pm::service {

std::string DecisionsSection(const ReportIndex& index) {
  const auto& decisions = index.data().decisions;
  std::string out =
      "<section id=\"decisions\"><h2>Decisions so far</h2>";
  if (decisions.empty()) {
    absl::StrAppend(&out, "<p class=\"note\">No decision recorded yet "
                          "(<code>partner-match decide</code> records one).</p>");
  }
  absl::StrAppend(
      &out, "<table id=\"decisions-table\" class=\"sortable\"><thead><tr>"
            "<th class=\"num\">#</th><th>when</th><th>who</th><th>pair</th>"
            "<th>decision</th><th class=\"nosort\">why</th></tr></thead><tbody>");
  for (const partnermatch::v1::Decision& d : decisions) {
    absl::StrAppend(
        &out, "<tr class=\"filterable\"",
        index.FilterAttributes({d.profile_id(), d.partner_id()}),
        "><td class=\"num\">", d.sequence(), "</td><td>", Html(d.recorded_at()),
        "</td><td>", Html(d.who()), "</td><td>",
        Html(index.NameCountry(d.profile_id())), " — ",
        Html(index.NameCountry(d.partner_id())), "</td><td><span class=\"badge ",
        Html(d.kind()), "\">", Html(d.kind()), "</span></td><td>", Html(d.why()),
        "</td></tr>\n");
  }
  absl::StrAppend(&out, "</tbody></table></section>\n");
  return out;
}

}  // namespace pm::service
