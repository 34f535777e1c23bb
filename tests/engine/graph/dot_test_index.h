// The small index the DOT tests draw: five places, one with a name that
// needs escaping and ids that are DOT keywords.
#ifndef PARTNER_MATCH_TESTS_ENGINE_GRAPH_DOT_TEST_INDEX_H_
#define PARTNER_MATCH_TESTS_ENGINE_GRAPH_DOT_TEST_INDEX_H_

#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "engine/matching/match_index.h"
#include "tests/engine/matching/test_index.h"

namespace pm::testing {

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

}  // namespace pm::testing

#endif  // PARTNER_MATCH_TESTS_ENGINE_GRAPH_DOT_TEST_INDEX_H_
