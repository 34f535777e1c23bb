// Cohorts the graph tests cluster and draw: planted communities over a
// one-word-per-theme taxonomy, the bundled 29 places, and a small index
// whose names need escaping in DOT.
#ifndef PARTNER_MATCH_TESTS_ENGINE_GRAPH_GRAPH_TEST_DATA_H_
#define PARTNER_MATCH_TESTS_ENGINE_GRAPH_GRAPH_TEST_DATA_H_

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <numeric>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/io/profile_format.h"
#include "engine/matching/match_index.h"
#include "tests/engine/matching/test_index.h"

namespace pm::testing {

// Five places; one with a name that needs escaping and ids that are DOT
// keywords.
inline std::shared_ptr<const MatchIndex> DotTestIndex() {
  constexpr char kWater[] = "It has experience in water efficiency. ";
  constexpr char kSeeksWater[] = "It is interested in water efficiency. ";
  constexpr char kCircular[] = "It is interested in circular economy. ";
  Profile tricky =
      MakeProfile("node", "CO", std::string(kSeeksWater) + kCircular);
  tricky.name = "Saint \"Q\" \\ Ñandú <b>&\nnext";
  Profile graph = MakeProfile("graph", "JP", kSeeksWater);
  graph.name = "graph";
  return MatchIndex::Build(
      {MakeProfile("almeria", "ES", std::string(kWater) + kCircular), tricky,
       graph, MakeProfile("bari", "IT", kWater),
       MakeProfile("lonely", "BR", "Nothing here.")},
      SmallExtractor(), Gazetteer::Bundled());
}

inline std::vector<size_t> AllRows(const MatchIndex& index) {
  std::vector<size_t> rows(index.size());
  std::iota(rows.begin(), rows.end(), size_t{0});
  return rows;
}

// Eleven themes with one word each.
inline constexpr const char* kWords[] = {
    "water",  "forest",  "flood",   "software", "robotics", "training",
    "museum", "tourism", "housing", "energy",   "transport"};

inline std::shared_ptr<const ThemeExtractor> WordExtractor() {
  std::string json = R"({"themes": [)";
  for (size_t i = 0; i < std::size(kWords); ++i) {
    if (i > 0) json += ",";
    json += std::string(R"({"id": ")") + kWords[i] + R"(", "label": ")" +
            kWords[i] + R"(", "definition": "d.", "phrases": [")" + kWords[i] +
            R"("]})";
  }
  json += R"(], "offer_cues": ["has experience in"],
             "seek_cues": ["is interested in"]})";
  auto taxonomy = Taxonomy::ParseJson(json, "test taxonomy");
  EXPECT_TRUE(taxonomy.ok()) << taxonomy.status();
  return std::make_shared<ThemeExtractor>(
      std::make_shared<const Taxonomy>(*std::move(taxonomy)));
}

// Member m (0-4) of a community working on words a, b, c: the five members
// use the three themes in different roles and combinations.
inline std::string MemberText(int m, const char* a, const char* b,
                              const char* c) {
  const std::string A = a, B = b, C = c;
  switch (m) {
    case 0:
      return "It has experience in " + A + " and " + B +
             ". It is interested in " + C + ".";
    case 1:
      return "It has experience in " + B + ". It is interested in " + C +
             " and " + A + ".";
    case 2:
      return "It has experience in " + C + " and " + A +
             ". It is interested in " + B + ".";
    case 3:
      return "It has experience in " + A + ". It is interested in " + B + ".";
    default:
      return "It has experience in " + B + " and " + C + ".";
  }
}

// Three planted communities of five (themes 0-2, 3-5, 6-8), each with a
// weak link to the next one (its first member mentions the next
// community's first theme as context); optionally a pair (themes 9-10)
// weakly linked to the first community, and a place with no theme.
struct Planted {
  std::shared_ptr<const MatchIndex> index;
  std::vector<std::set<std::string>> communities;
};

inline Planted PlantedCohort(bool with_pair = false,
                             bool with_isolated = false) {
  std::vector<Profile> profiles;
  Planted out;
  for (int c = 0; c < 3; ++c) {
    std::set<std::string> ids;
    for (int m = 0; m < 5; ++m) {
      std::string text =
          MemberText(m, kWords[3 * c], kWords[3 * c + 1], kWords[3 * c + 2]);
      if (m == 0) {
        text += std::string(" Its economy is based on ") +
                kWords[3 * ((c + 1) % 3)] + ".";
      }
      const std::string id = "c" + std::to_string(c) + "m" + std::to_string(m);
      profiles.push_back(MakeProfile(id, m % 2 ? "CO" : "ES", text));
      ids.insert(id);
    }
    out.communities.push_back(ids);
  }
  if (with_pair) {
    profiles.push_back(MakeProfile(
        "pair0", "FR",
        "It has experience in energy. It is interested in transport. Its "
        "economy is based on water."));
    profiles.push_back(MakeProfile(
        "pair1", "MX", "It has experience in transport and energy."));
  }
  if (with_isolated) {
    profiles.push_back(MakeProfile("lonely", "JP", "Nothing to report here."));
  }
  out.index =
      MatchIndex::Build(profiles, WordExtractor(), Gazetteer::Bundled());
  return out;
}

// The bundled places (data/profiles.jsonl) with the bundled taxonomy.
inline std::shared_ptr<const MatchIndex> BundledIndex() {
  std::ifstream in(std::string(PM_SOURCE_DIR) + "/data/profiles.jsonl");
  EXPECT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  auto profiles =
      ParseProfilesJsonl(text.str(), "profiles.jsonl", Gazetteer::Bundled());
  EXPECT_TRUE(profiles.ok()) << profiles.status();
  auto extractor =
      std::make_shared<ThemeExtractor>(std::shared_ptr<const Taxonomy>(
          &Taxonomy::Bundled(), [](const Taxonomy*) {}));
  return MatchIndex::Build(*profiles, extractor, Gazetteer::Bundled());
}

}  // namespace pm::testing

#endif  // PARTNER_MATCH_TESTS_ENGINE_GRAPH_GRAPH_TEST_DATA_H_
