// The report page's style sheet and script, inlined into the page (no
// network access is needed to open it).
#ifndef PARTNER_MATCH_SERVICE_REPORT_REPORT_ASSETS_H_
#define PARTNER_MATCH_SERVICE_REPORT_REPORT_ASSETS_H_

namespace pm::service {

// report_style.cc: typography, tables, heat map, badges, print rules.
extern const char kReportCss[];
// report_script.cc: the filters (country, kind, theme) over every element
// of class "filterable" and the network's nodes, and click-to-sort on tables
// of class "sortable"; the query string may preset the filters
// (?country=ES&kind=city&theme=water). When done it sets data-ready="yes" on
// <body>. Plain JavaScript, no library.
extern const char kReportJs[];

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_REPORT_REPORT_ASSETS_H_
