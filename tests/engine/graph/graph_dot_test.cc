#include "engine/graph/graph_dot.h"

#include <gtest/gtest.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/engine/graph/graph_test_data.h"

namespace pm {
namespace {

// What read_graphviz gives back.
struct ReadVertex {
  std::string node_id, id, label, tooltip, fillcolor, style;
};
struct ReadEdge {
  std::string label, style;
};
using ReadGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                          ReadVertex, ReadEdge>;

// Parses `dot` with Boost's reader; fails the test on a syntax error.
ReadGraph Parse(const std::string& dot) {
  ReadGraph g;
  boost::dynamic_properties dp(boost::ignore_other_properties);
  dp.property("node_id", boost::get(&ReadVertex::node_id, g));
  dp.property("id", boost::get(&ReadVertex::id, g));
  dp.property("label", boost::get(&ReadVertex::label, g));
  dp.property("tooltip", boost::get(&ReadVertex::tooltip, g));
  dp.property("fillcolor", boost::get(&ReadVertex::fillcolor, g));
  dp.property("style", boost::get(&ReadVertex::style, g));
  dp.property("label", boost::get(&ReadEdge::label, g));
  dp.property("style", boost::get(&ReadEdge::style, g));
  try {
    EXPECT_TRUE(boost::read_graphviz(dot, g, dp, "node_id")) << dot;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "read_graphviz: " << e.what() << "\n" << dot;
  }
  return g;
}

using testing::AllRows;
using testing::DotTestIndex;

TEST(GraphDotTest, DotQuoteEscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(DotQuote("plain"), "\"plain\"");
  EXPECT_EQ(DotQuote("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(DotQuote("a\\b"), "\"a\\\\b\"");
  EXPECT_EQ(DotQuote("ends with \\"), "\"ends with \\\\\"");
  EXPECT_EQ(DotQuote("line\nbreak\ttab"), "\"line break tab\"");
  EXPECT_EQ(DotQuote("Almería · 東京"), "\"Almería · 東京\"");
  EXPECT_EQ(DotQuote(""), "\"\"");
}

TEST(GraphDotTest, SimilarityGraphParsesBackWithEveryNodeAndEdge) {
  auto index = DotTestIndex();
  auto graph = BuildSimilarityGraph(*index, AllRows(*index));
  ASSERT_TRUE(graph.ok());
  ASSERT_FALSE(graph->edges.empty());
  const std::string dot = SimilarityGraphDot(*index, *graph);
  EXPECT_EQ(dot.rfind("graph G {", 0), 0u) << dot;
  EXPECT_NE(dot.find("layout=\"neato\""), std::string::npos);

  const ReadGraph g = Parse(dot);
  ASSERT_EQ(boost::num_vertices(g), index->size());
  ASSERT_EQ(boost::num_edges(g), graph->edges.size());
  for (size_t r = 0; r < index->size(); ++r) {
    const ReadVertex& v = g[r];
    EXPECT_EQ(v.id, index->at(r).profile.id);
    EXPECT_EQ(v.fillcolor, index->at(r).eu_member ? "#cfe2ff" : "#ffe5b4");
    EXPECT_NE(v.label.find("(" + index->at(r).profile.country + ")"),
              std::string::npos);
  }
  // Each edge joins the right places and carries its weight.
  size_t e = 0;
  for (auto [it, end] = boost::edges(g); it != end; ++it, ++e) {
    const SimilarityEdge& want = graph->edges[e];
    const size_t a = boost::source(*it, g), b = boost::target(*it, g);
    EXPECT_EQ(std::min(a, b), want.a);
    EXPECT_EQ(std::max(a, b), want.b);
    char label[16];
    std::snprintf(label, sizeof label, "%.2f", want.weight);
    EXPECT_EQ(g[*it].label, label);
  }
}

TEST(GraphDotTest, NamesAreEscapedAndKeywordIdsAreQuoted) {
  auto index = DotTestIndex();
  auto graph = BuildSimilarityGraph(*index, AllRows(*index));
  ASSERT_TRUE(graph.ok());
  const std::string dot = SimilarityGraphDot(*index, *graph);
  EXPECT_NE(dot.find("id=\"node\""), std::string::npos);
  EXPECT_NE(dot.find("label=\"Saint \\\"Q\\\" \\\\ Ñandú <b>& next\\n(CO)\""),
            std::string::npos)
      << dot;
  const ReadGraph g = Parse(dot);
  ASSERT_EQ(boost::num_vertices(g), index->size());
  const size_t tricky = *index->Find("node");
  // Boost's reader undoes the quote escape only; the rest is Graphviz's
  // escString ("\\" is one backslash, "\n" a line break).
  EXPECT_EQ(g[tricky].label, "Saint \"Q\" \\\\ Ñandú <b>& next\\n(CO)");
  EXPECT_EQ(g[tricky].id, "node");
}

TEST(GraphDotTest, ClustersColourNodesAndDashEdgesBetweenClusters) {
  auto index = DotTestIndex();
  auto clusters = FindThematicClusters(*index, AllRows(*index));
  ASSERT_TRUE(clusters.ok());
  ASSERT_FALSE(clusters->clusters.empty());
  const std::string dot =
      SimilarityGraphDot(*index, clusters->graph, clusters->clusters);
  const ReadGraph g = Parse(dot);
  for (size_t c = 0; c < clusters->clusters.size(); ++c) {
    for (size_t r : clusters->clusters[c].members) {
      EXPECT_NE(g[r].label.find("C" + std::to_string(c + 1)), std::string::npos)
          << g[r].label;
    }
  }
  for (size_t r : clusters->unclustered) {
    EXPECT_EQ(g[r].label.find(" · C"), std::string::npos);
  }
}

TEST(GraphDotTest, PlanDrawsGroupsPairsAndUnmatchedPlaces) {
  auto index = DotTestIndex();
  const size_t almeria = *index->Find("almeria"), node = *index->Find("node"),
               graph = *index->Find("graph"), bari = *index->Find("bari"),
               lonely = *index->Find("lonely");
  PlanDot plan;
  plan.groups.push_back({{almeria, node}, 0.4, /*fixed=*/true, {}});
  plan.groups.push_back({{bari, graph, node},
                         0.55,
                         false,
                         {{bari, graph, 0.3, false, false},
                          {bari, node, 0.2, false, false},
                          {graph, node, 0.05, /*same_side=*/true, false}}});
  plan.unmatched = {lonely};
  const std::string dot = PairingPlanDot(*index, plan);
  EXPECT_NE(dot.find("rankdir=\"LR\""), std::string::npos);
  const ReadGraph g = Parse(dot);
  // "node" is in two groups and drawn once.
  ASSERT_EQ(boost::num_vertices(g), 5u);
  ASSERT_EQ(boost::num_edges(g), 4u);
  std::vector<std::string> labels, styles;
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    labels.push_back(g[*it].label);
    styles.push_back(g[*it].style);
  }
  EXPECT_EQ(labels,
            (std::vector<std::string>{"0.400", "0.300", "0.200", "0.050"}));
  EXPECT_EQ(styles, (std::vector<std::string>{"bold", "", "", "dotted"}));
  bool found = false;
  for (auto [it, end] = boost::vertices(g); it != end; ++it) {
    if (g[*it].id != "lonely") continue;
    found = true;
    EXPECT_EQ(g[*it].style, "rounded,filled,dashed");
    EXPECT_NE(g[*it].label.find("unmatched"), std::string::npos);
  }
  EXPECT_TRUE(found);
}

TEST(GraphDotTest, OutputIsDeterministic) {
  auto index = DotTestIndex();
  auto graph = BuildSimilarityGraph(*index, AllRows(*index));
  ASSERT_TRUE(graph.ok());
  EXPECT_EQ(SimilarityGraphDot(*index, *graph),
            SimilarityGraphDot(*index, *graph));
}

}  // namespace
}  // namespace pm
