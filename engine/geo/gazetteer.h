// The country gazetteer: every ISO 3166-1 country with its name, world region,
// EU membership and the other names a profile text may use for it.
#ifndef PARTNER_MATCH_ENGINE_GEO_GAZETTEER_H_
#define PARTNER_MATCH_ENGINE_GEO_GAZETTEER_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"

namespace pm {

struct Country {
  std::string code;          // ISO 3166-1 alpha-2, upper case
  std::string name;          // English short name
  std::string world_region;  // "Europe", "Asia", "Latin America and the Caribbean", ...
  bool eu_member = false;
  std::vector<std::string> aliases;  // other names and adjectives
};

// Immutable after construction; safe to share between threads.
class Gazetteer {
 public:
  // Parses the TSV format of data/countries.tsv: a header line
  // `code<TAB>name<TAB>world_region<TAB>eu_member<TAB>aliases`, then one
  // country a line; aliases are ";"-separated, eu_member is true/false.
  // INVALID_ARGUMENT naming `source` and the line on a malformed row or a
  // duplicate code.
  static absl::StatusOr<Gazetteer> ParseTsv(std::string_view content,
                                            std::string_view source);
  // The bundled gazetteer (data/countries.tsv compiled in).
  static const Gazetteer& Bundled();

  // The country with this alpha-2 code (case-insensitive), or nullptr.
  const Country* Find(std::string_view code) const;

  // Countries named in `text` by name or alias, whole words, matched
  // case-sensitively, in order of first mention, each once.
  std::vector<const Country*> Mentioned(std::string_view text) const;

  const std::vector<Country>& countries() const { return countries_; }

 private:
  std::vector<Country> countries_;
  std::unordered_map<std::string, size_t> by_code_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_GEO_GAZETTEER_H_
