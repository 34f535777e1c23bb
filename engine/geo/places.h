// The place gazetteer: cities and first-level regions (provinces, states,
// autonomous communities, prefectures, counties, ...) with their country,
// from GeoNames (data/places.tsv, see data/README.md). It lets an importer
// tell which country a place name belongs to, and whether it names a city,
// a region or both.
#ifndef PARTNER_MATCH_ENGINE_GEO_PLACES_H_
#define PARTNER_MATCH_ENGINE_GEO_PLACES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/model/profile.h"

namespace pm {

struct Place {
  std::string name;                     // GeoNames' English name
  PlaceKind kind = PlaceKind::kCity;    // kCity or kRegion
  std::string country;                  // ISO 3166-1 alpha-2
  int64_t population = 0;               // a region's: of its listed cities
  std::vector<std::string> alternates;  // other names and forms
};

// A place name found in a text: text[begin, end) and the places it names,
// most populous first.
struct PlaceMention {
  size_t begin = 0;
  size_t end = 0;
  std::vector<const Place*> places;
};

// Immutable after construction; safe to share between threads.
class PlaceGazetteer {
 public:
  // Parses the TSV format of data/places.tsv: the header line
  // `name<TAB>kind<TAB>country<TAB>population<TAB>alternates`, then one place
  // a line; kind is city or region, alternates are ";"-separated.
  // INVALID_ARGUMENT "<source>:<line>: …" on a malformed row.
  static absl::StatusOr<PlaceGazetteer> ParseTsv(std::string_view content,
                                                 std::string_view source);
  // The bundled gazetteer (data/places.tsv compiled in).
  static const PlaceGazetteer& Bundled();

  // The places called `name` (by name or alternate), most populous first.
  // Names compare by their words, folded (FoldText) and without hyphens:
  // "Krapina-zagorje" finds "Krapina-Zagorje", "Bacau" finds "Bacău".
  std::vector<const Place*> Find(std::string_view name) const;

  // Place names in `text` (valid UTF-8), longest first where they overlap,
  // in text order: runs of up to kMaxNameWords words whose first word is
  // capitalised.
  std::vector<PlaceMention> Mentioned(std::string_view text) const;

  size_t size() const { return places_.size(); }

  static constexpr size_t kMaxNameWords = 5;

 private:
  std::vector<Place> places_;
  // The words of each name and alternate, folded, joined by " ".
  std::unordered_map<std::string, std::vector<size_t>> by_key_;
};

// The key by which PlaceGazetteer compares names: the folded words of
// `name` (FoldText, hyphens and punctuation dropped) joined by " ".
std::string PlaceKey(std::string_view name);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_GEO_PLACES_H_
