// Spreadsheet files: RFC 4180 CSV in UTF-8, a header row first, records
// ending in CRLF; a field is quoted (its quotes doubled) when it holds a
// comma, a quote, a CR or an LF, so multi-line cells survive. Written for
// `plan --csv`, `suggest --csv` and `themes --csv` (csv_tables.h).
#ifndef PARTNER_MATCH_SERVICE_CLI_CSV_H_
#define PARTNER_MATCH_SERVICE_CLI_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace pm::cli {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each as wide as the header
};

// One field as RFC 4180 writes it: `a,b` → `"a,b"`, `say "hi"` →
// `"say ""hi"""`, `plain` → `plain`.
std::string CsvField(std::string_view text);

// The table as CSV text.
std::string CsvText(const CsvTable& table);

// Writes the table to `path`; UNAVAILABLE "cannot write 'path'" on failure.
absl::Status WriteCsv(const std::string& path, const CsvTable& table);

}  // namespace pm::cli

#endif  // PARTNER_MATCH_SERVICE_CLI_CSV_H_
