// The bundled data set, compiled into the binary (see data/README.md).
#ifndef PARTNER_MATCH_DATA_BUNDLED_DATA_H_
#define PARTNER_MATCH_DATA_BUNDLED_DATA_H_

#include <string_view>

namespace pm::bundled {

// data/profiles.jsonl: the seed's 29 profiles, curated (JSON Lines).
std::string_view File_profiles_jsonl();
// data/taxonomy.json: the default taxonomy (proto3 JSON of Taxonomy).
std::string_view File_taxonomy_json();
// data/countries.tsv: the ISO 3166-1 gazetteer.
std::string_view File_countries_tsv();
// data/generic_terms.txt: the generic words of profiles (one a line, '#'
// comments), not topics on their own.
std::string_view File_generic_terms_txt();
// data/places.tsv: the GeoNames place gazetteer (cities and regions).
std::string_view File_places_tsv();
// data/stop_words.tsv: the function words of each language.
std::string_view File_stop_words_tsv();
// data/taxonomy_<code>.json: the taxonomy's phrases and cues in another
// language (proto3 JSON of TaxonomyLanguage).
std::string_view File_taxonomy_es_json();
std::string_view File_taxonomy_pt_json();
std::string_view File_taxonomy_fr_json();
std::string_view File_taxonomy_it_json();
std::string_view File_taxonomy_de_json();

}  // namespace pm::bundled

#endif  // PARTNER_MATCH_DATA_BUNDLED_DATA_H_
