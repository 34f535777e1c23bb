#include "service/cli/csv.h"

#include <fstream>

#include "absl/strings/str_cat.h"

namespace pm::cli {

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvText(const CsvTable& table) {
  std::string out;
  const auto record = [&out](const std::vector<std::string>& fields) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvField(fields[i]);
    }
    out += "\r\n";
  };
  record(table.header);
  for (const std::vector<std::string>& row : table.rows) record(row);
  return out;
}

absl::Status WriteCsv(const std::string& path, const CsvTable& table) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << CsvText(table);
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write '", path, "'"));
  return absl::OkStatus();
}

}  // namespace pm::cli
