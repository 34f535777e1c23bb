// HTML pieces the report's sections share: escaping, a sentence with its
// evidence marked, a reason with the evidence of both profiles, a score.
#ifndef PARTNER_MATCH_SERVICE_REPORT_REPORT_HTML_H_
#define PARTNER_MATCH_SERVICE_REPORT_REPORT_HTML_H_

#include <string>
#include <string_view>

#include "partnermatch/v1/partner_match.pb.h"

namespace pm::service {

// `text` escaped for HTML text and attribute values (engine/graph's
// XmlEscape: & < > " ' and control characters).
std::string Html(std::string_view text);

// The evidence's sentence, escaped, its matched words in <mark>.
std::string MarkedSentence(const partnermatch::v1::Evidence& evidence);

// A reason: its contribution and summary, then the first evidence of each
// side as a quote naming the place.
std::string ReasonHtml(const partnermatch::v1::Reason& reason,
                       const std::string& self_name,
                       const std::string& partner_name);

// "0.511".
std::string ScoreText(double score);

// "offers", "seeks", "offers and seeks", "background" for a theme role.
std::string RoleWords(const std::string& role);

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_REPORT_REPORT_HTML_H_
