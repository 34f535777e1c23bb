// The spreadsheets of `plan --csv`, `suggest --csv` and `themes --csv`: one
// row per group (and per unmatched place), per place and suggestion, per
// place and theme; reasons and evidence in plain text columns, one reason or
// sentence a line.
#ifndef PARTNER_MATCH_SERVICE_CLI_CSV_TABLES_H_
#define PARTNER_MATCH_SERVICE_CLI_CSV_TABLES_H_

#include <vector>

#include "engine/matching/match_index.h"
#include "partnermatch/v1/partner_match.pb.h"
#include "service/cli/csv.h"

namespace pm::cli {

// group, kind, member_ids, members, countries, score, weak, fixed, reasons,
// evidence; unmatched places last with kind "unmatched", their best
// eligible partner's score and the reason.
CsvTable PlanCsv(const partnermatch::v1::ProposePairingsResponse& plan,
                 const MatchIndex& index);

// place_id, place, rank, partner_id, partner, partner_country, score, weak,
// reasons, evidence, penalties, shared_terms.
CsvTable SuggestionsCsv(
    const std::vector<partnermatch::v1::SuggestPartnersResponse>& lists,
    const MatchIndex& index);

// place_id, place, country, theme, label, role, weight, matched, evidence.
CsvTable ThemesCsv(const partnermatch::v1::ThemesReport& report,
                   const MatchIndex& index);

}  // namespace pm::cli

#endif  // PARTNER_MATCH_SERVICE_CLI_CSV_TABLES_H_
