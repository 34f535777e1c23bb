#include "service/cli/csv_tables.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace pm::cli {
namespace {

namespace v1 = partnermatch::v1;

std::string Score(double score) { return absl::StrFormat("%.3f", score); }
std::string YesNo(bool b) { return b ? "yes" : "no"; }

std::string Name(const MatchIndex& index, const std::string& id) {
  const std::optional<size_t> row = index.Find(id);
  return row ? index.at(*row).profile.name : id;
}
std::string Country(const MatchIndex& index, const std::string& id) {
  const std::optional<size_t> row = index.Find(id);
  return row ? index.at(*row).profile.country : "";
}

// "+0.260 <summary>" per reason, one a line.
std::string Reasons(const google::protobuf::RepeatedPtrField<v1::Reason>& reasons) {
  std::vector<std::string> lines;
  for (const v1::Reason& r : reasons) {
    lines.push_back(absl::StrFormat("+%.3f %s", r.contribution(), r.summary()));
  }
  return absl::StrJoin(lines, "\n");
}

// `Name: "sentence"` for the first evidence of each side of each reason.
std::string Evidence(const google::protobuf::RepeatedPtrField<v1::Reason>& reasons,
                     const std::string& self, const std::string& partner) {
  std::vector<std::string> lines;
  for (const v1::Reason& r : reasons) {
    if (!r.self_evidence().empty()) {
      lines.push_back(absl::StrCat(self, ": \"", r.self_evidence(0).sentence(), "\""));
    }
    if (!r.partner_evidence().empty()) {
      lines.push_back(
          absl::StrCat(partner, ": \"", r.partner_evidence(0).sentence(), "\""));
    }
  }
  return absl::StrJoin(lines, "\n");
}

}  // namespace

CsvTable PlanCsv(const v1::ProposePairingsResponse& plan,
                 const MatchIndex& index) {
  CsvTable table;
  table.header = {"group", "kind",  "member_ids", "members", "countries",
                  "score", "weak",  "fixed",      "reasons", "evidence"};
  for (int i = 0; i < plan.groups_size(); ++i) {
    const v1::PlannedGroup& g = plan.groups(i);
    std::vector<std::string> names, countries, reasons, evidence;
    for (const std::string& id : g.member_ids()) {
      names.push_back(Name(index, id));
      countries.push_back(Country(index, id));
    }
    for (const v1::PairReasons& pair : g.pairs()) {
      const std::string prefix =
          g.pairs_size() > 1
              ? absl::StrCat(Name(index, pair.profile_id()), " — ",
                             Name(index, pair.partner_id()), ": ")
              : "";
      std::string text = Reasons(pair.reasons());
      if (!text.empty()) reasons.push_back(prefix + text);
      text = Evidence(pair.reasons(), Name(index, pair.profile_id()),
                      Name(index, pair.partner_id()));
      if (!text.empty()) evidence.push_back(text);
    }
    table.rows.push_back({absl::StrCat(i + 1), g.kind(),
                          absl::StrJoin(g.member_ids(), " + "),
                          absl::StrJoin(names, " + "),
                          absl::StrJoin(countries, " + "), Score(g.score()),
                          YesNo(g.weak()), YesNo(g.fixed()),
                          absl::StrJoin(reasons, "\n"),
                          absl::StrJoin(evidence, "\n")});
  }
  for (const v1::UnmatchedMember& u : plan.unmatched()) {
    table.rows.push_back(
        {"", "unmatched", u.profile_id(), Name(index, u.profile_id()),
         Country(index, u.profile_id()),
         u.best_partner_id().empty() ? "" : Score(u.best_score()), "", "",
         u.reason(), ""});
  }
  return table;
}

CsvTable SuggestionsCsv(const std::vector<v1::SuggestPartnersResponse>& lists,
                        const MatchIndex& index) {
  CsvTable table;
  table.header = {"place_id", "place",   "rank",     "partner_id",
                  "partner",  "partner_country", "score", "weak",
                  "reasons",  "evidence", "penalties", "shared_terms"};
  for (const v1::SuggestPartnersResponse& list : lists) {
    const std::string self = Name(index, list.profile_id());
    for (int i = 0; i < list.suggestions_size(); ++i) {
      const v1::Suggestion& s = list.suggestions(i);
      table.rows.push_back(
          {list.profile_id(), self, absl::StrCat(i + 1), s.partner_id(),
           s.name(), Country(index, s.partner_id()), Score(s.score()),
           YesNo(s.weak()), Reasons(s.reasons()),
           Evidence(s.reasons(), self, s.name()),
           absl::StrJoin(s.penalties(), "\n"),
           absl::StrJoin(s.shared_terms(), ", ")});
    }
  }
  return table;
}

CsvTable ThemesCsv(const v1::ThemesReport& report, const MatchIndex& index) {
  CsvTable table;
  table.header = {"place_id", "place",   "country",  "theme",   "label",
                  "role",     "weight",  "matched",  "evidence"};
  const Taxonomy& taxonomy = index.taxonomy();
  for (const v1::ProfileThemes& p : report.profiles()) {
    for (const v1::ThemeInterest& t : p.themes()) {
      std::vector<std::string> matched, sentences;
      for (const v1::Evidence& e : t.evidence()) {
        matched.push_back(e.text());
        sentences.push_back(e.sentence());
      }
      const int theme = taxonomy.IndexOf(t.theme());
      table.rows.push_back(
          {p.id(), p.name(), Country(index, p.id()), t.theme(),
           theme >= 0 ? taxonomy.themes()[theme].label : "", t.role(),
           absl::StrFormat("%.2f", t.weight()), absl::StrJoin(matched, "; "),
           absl::StrJoin(sentences, "\n")});
    }
  }
  return table;
}

}  // namespace pm::cli
