// Small taxonomies and profiles for the matching tests.
#ifndef PARTNER_MATCH_TESTS_ENGINE_MATCHING_TEST_INDEX_H_
#define PARTNER_MATCH_TESTS_ENGINE_MATCHING_TEST_INDEX_H_

#include <memory>
#include <string>
#include <vector>

#include "engine/extraction/theme_extractor.h"
#include "engine/model/profile.h"
#include "engine/taxonomy/taxonomy.h"

namespace pm::testing {

// Three themes with one phrase each, and one cue of each role.
inline std::shared_ptr<const ThemeExtractor> SmallExtractor() {
  auto taxonomy = Taxonomy::ParseJson(R"json({
    "themes": [
      {"id": "water", "label": "Water", "definition": "Water.",
       "phrases": ["water efficiency"]},
      {"id": "circular_economy", "label": "Circular economy",
       "definition": "Circularity.", "phrases": ["circular economy"]},
      {"id": "urban_mobility", "label": "Mobility", "definition": "Moving.",
       "phrases": ["mobility"]}
    ],
    "offer_cues": ["has experience in"],
    "seek_cues": ["is interested in"]
  })json", "test taxonomy");
  return std::make_shared<ThemeExtractor>(
      std::make_shared<const Taxonomy>(std::move(taxonomy).value()));
}

inline Profile MakeProfile(std::string id, std::string country,
                           std::string text,
                           PlaceKind kind = PlaceKind::kCity) {
  Profile p;
  p.id = id;
  p.name = "Place " + id;
  p.kind = kind;
  p.country = std::move(country);
  p.text = std::move(text);
  return p;
}

}  // namespace pm::testing

#endif  // PARTNER_MATCH_TESTS_ENGINE_MATCHING_TEST_INDEX_H_
