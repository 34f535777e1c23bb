// The report page a coordinator mails to colleagues and the steering group:
// one self-contained HTML5 document (styles and scripts inline, no request
// to the network) with the cohort at a glance, the places × themes heat map,
// the pairing plan with reasons and evidence, the network picture, every
// place's themes and top suggestions, and the decisions so far; filters by
// country, kind and theme, and sortable tables.
#ifndef PARTNER_MATCH_SERVICE_REPORT_REPORT_PAGE_H_
#define PARTNER_MATCH_SERVICE_REPORT_REPORT_PAGE_H_

#include <string>

#include "service/report/report_data.h"

namespace pm::service {

std::string ReportHtml(const ReportData& data);

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_REPORT_REPORT_PAGE_H_
