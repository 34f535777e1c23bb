// The sections of the report page, each an HTML fragment (one .cc file
// each). Elements that the page's filters act on carry class "filterable"
// and ReportIndex::FilterAttributes; tables that sort on a click carry class
// "sortable".
#ifndef PARTNER_MATCH_SERVICE_REPORT_REPORT_SECTIONS_H_
#define PARTNER_MATCH_SERVICE_REPORT_REPORT_SECTIONS_H_

#include <string>

#include "service/report/report_index.h"

namespace pm::service {

// Counts by side, kind and world region; the plan's and clusters' totals.
std::string GlanceSection(const ReportIndex& index);     // report_glance.cc
// Places × themes, the role as colour and the weight as strength.
std::string HeatmapSection(const ReportIndex& index);    // report_heatmap.cc
// One row per group (#plan-table), then the unmatched (#unmatched-table).
std::string PlanSection(const ReportIndex& index);       // report_plan.cc
// The network picture (inline SVG, the program's own layout).
std::string NetworkSection(const ReportIndex& index);    // report_network.cc
// Per place: its themes with their proof, its top suggestions with reasons.
std::string PlacesSection(const ReportIndex& index);     // report_places.cc
// The decision log (#decisions-table).
std::string DecisionsSection(const ReportIndex& index);  // report_decisions.cc

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_REPORT_REPORT_SECTIONS_H_
