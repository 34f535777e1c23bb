#include "service/report/report_html.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/graph/graph_svg.h"

namespace pm::service {

std::string Html(std::string_view text) { return XmlEscape(text); }

std::string MarkedSentence(const partnermatch::v1::Evidence& evidence) {
  const std::string& sentence = evidence.sentence();
  size_t begin = evidence.begin() >= evidence.sentence_begin()
                     ? evidence.begin() - evidence.sentence_begin()
                     : std::string::npos;
  // Offsets that do not fit the sentence: find the words instead.
  if (begin == std::string::npos || begin + evidence.text().size() > sentence.size() ||
      sentence.compare(begin, evidence.text().size(), evidence.text()) != 0) {
    begin = sentence.find(evidence.text());
  }
  if (begin == std::string::npos || evidence.text().empty()) return Html(sentence);
  const size_t end = begin + evidence.text().size();
  return absl::StrCat(Html(sentence.substr(0, begin)), "<mark>",
                      Html(sentence.substr(begin, end - begin)), "</mark>",
                      Html(sentence.substr(end)));
}

std::string ReasonHtml(const partnermatch::v1::Reason& reason,
                       const std::string& self_name,
                       const std::string& partner_name) {
  std::string out = absl::StrCat(
      "<div class=\"reason\"><span class=\"contribution\">+",
      ScoreText(reason.contribution()), "</span> ", Html(reason.summary()));
  const auto quote = [&out](const std::string& name,
                            const google::protobuf::RepeatedPtrField<
                                partnermatch::v1::Evidence>& evidence) {
    if (evidence.empty()) return;
    absl::StrAppend(&out, "<blockquote><b>", Html(name), "</b> “",
                    MarkedSentence(evidence[0]), "”</blockquote>");
  };
  quote(self_name, reason.self_evidence());
  quote(partner_name, reason.partner_evidence());
  absl::StrAppend(&out, "</div>");
  return out;
}

std::string ScoreText(double score) { return absl::StrFormat("%.3f", score); }

std::string RoleWords(const std::string& role) {
  if (role == "offer") return "offers";
  if (role == "seek") return "seeks";
  if (role == "both") return "offers and seeks";
  return "background";
}

}  // namespace pm::service
