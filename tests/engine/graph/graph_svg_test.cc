// The program's own drawing: LayoutGraph, PictureSvg, and DOT read back
// into a picture (DotToSvg), checked against brute-force facts about the
// positions and the SVG text.
#include "engine/graph/graph_svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "engine/graph/dot_picture.h"
#include "engine/graph/graph_dot.h"
#include "engine/graph/graph_layout.h"
#include "engine/graph/thematic_clusters.h"
#include "tests/engine/graph/graph_test_data.h"

namespace pm {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

double Distance(const LayoutPoint& a, const LayoutPoint& b) {
  return std::hypot(a.x - b.x, a.y - b.y);
}

// Two rings of six joined by one edge, and four single nodes.
std::vector<LayoutEdge> TwoRings() {
  std::vector<LayoutEdge> edges;
  for (size_t ring : {0, 6}) {
    for (size_t i = 0; i < 6; ++i) edges.push_back({ring + i, ring + (i + 1) % 6, 1});
  }
  edges.push_back({0, 6, 0.1});
  return edges;
}

TEST(LayoutGraph, EveryNodeInsideTheBoxAndApart) {
  const GraphLayout layout = LayoutGraph(16, TwoRings());
  ASSERT_EQ(layout.points.size(), 16u);
  for (const LayoutPoint& p : layout.points) {
    EXPECT_GE(p.x, 0);
    EXPECT_LE(p.x, layout.width);
    EXPECT_GE(p.y, 0);
    EXPECT_LE(p.y, layout.height);
  }
  // No two nodes on top of each other (every pair, brute force).
  for (size_t i = 0; i < 16; ++i) {
    for (size_t j = i + 1; j < 16; ++j) {
      EXPECT_GT(Distance(layout.points[i], layout.points[j]), 0.3)
          << i << " and " << j;
    }
  }
}

TEST(LayoutGraph, NeighboursStandCloserThanStrangers) {
  const GraphLayout layout = LayoutGraph(12, TwoRings());
  double linked = 0, across = 0;
  int n_linked = 0, n_across = 0;
  for (size_t i = 0; i < 12; ++i) {
    for (size_t j = i + 1; j < 12; ++j) {
      const double d = Distance(layout.points[i], layout.points[j]);
      if ((i < 6) != (j < 6)) {
        across += d;
        ++n_across;
      } else if (j == i + 1 || (i % 6 == 0 && j % 6 == 5)) {
        linked += d;
        ++n_linked;
      }
    }
  }
  EXPECT_LT(linked / n_linked, 0.6 * across / n_across);
}

TEST(LayoutGraph, SameGraphSamePicture) {
  const GraphLayout a = LayoutGraph(16, TwoRings());
  const GraphLayout b = LayoutGraph(16, TwoRings());
  for (size_t i = 0; i < 16; ++i) {
    EXPECT_EQ(a.points[i].x, b.points[i].x);
    EXPECT_EQ(a.points[i].y, b.points[i].y);
  }
}

TEST(LayoutGraph, LargeComponentUsesFruchtermanReingoldAndStaysFinite) {
  // A ring larger than the Kamada–Kawai limit.
  const size_t n = kKamadaKawaiLimit + 50;
  std::vector<LayoutEdge> edges;
  for (size_t i = 0; i < n; ++i) edges.push_back({i, (i + 1) % n, 1});
  const GraphLayout layout = LayoutGraph(n, edges);
  for (const LayoutPoint& p : layout.points) {
    ASSERT_TRUE(std::isfinite(p.x) && std::isfinite(p.y));
    EXPECT_LE(p.x, layout.width);
    EXPECT_LE(p.y, layout.height);
  }
}

TEST(LayoutGraph, BadEdgesAreIgnored) {
  const GraphLayout layout = LayoutGraph(3, {{0, 7, 1}, {1, 1, 1}, {0, 2, 5}});
  ASSERT_EQ(layout.points.size(), 3u);
  EXPECT_TRUE(LayoutGraph(0, {}).points.empty());
}

TEST(PictureSvg, NodesEdgesLegendAndEscaping) {
  GraphPicture picture;
  picture.title = "A & B";
  picture.nodes = {{"a", "Saint \"Q\" <b>\nES", "tip & more"}, {"b", "B\nIT"},
                   {"c", "C"}};
  PictureEdge bold;
  bold.a = 0;
  bold.b = 1;
  bold.width = 3;
  bold.kind = "planned";
  PictureEdge hidden;
  hidden.a = 1;
  hidden.b = 2;
  hidden.drawn = false;
  PictureEdge dashed;
  dashed.a = 0;
  dashed.b = 2;
  dashed.style = LineStyle::kDashed;
  dashed.kind = "known";
  PictureEdge out_of_range;
  out_of_range.a = 0;
  out_of_range.b = 9;
  picture.edges = {bold, hidden, dashed, out_of_range};
  picture.legend = {{"EU member", "#cfe2ff"},
                    {"planned pair", "", "#222222", true}};
  const std::string svg = PictureSvg(picture);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(Count(svg, "<g class=\"node\""), 3u);
  EXPECT_EQ(Count(svg, "data-a="), 2u);  // hidden and bad ones not drawn
  EXPECT_EQ(Count(svg, "class=\"edge planned\" data-a=\"a\" data-b=\"b\""), 1u);
  EXPECT_EQ(Count(svg, "stroke-dasharray"), 1u);
  EXPECT_NE(svg.find("<title>A &amp; B</title>"), std::string::npos);
  EXPECT_NE(svg.find("Saint &quot;Q&quot; &lt;b&gt;<tspan"), std::string::npos);
  EXPECT_NE(svg.find(">EU member</text>"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_EQ(Count(svg, "<svg"), Count(svg, "</svg>"));
}

TEST(XmlEscape, EntitiesAndControlCharacters) {
  EXPECT_EQ(XmlEscape("a<b>&\"c\"'\x01\x7f" "é\n"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;é\n");
}

TEST(DotToSvg, DrawsTheSimilarityGraphOfTheBundledPlaces) {
  const auto index = testing::BundledIndex();
  auto clustering = FindThematicClusters(*index, testing::AllRows(*index));
  ASSERT_TRUE(clustering.ok()) << clustering.status();
  const std::string dot =
      SimilarityGraphDot(*index, clustering->graph, clustering->clusters);
  auto picture = PictureFromDot(dot);
  ASSERT_TRUE(picture.ok()) << picture.status();
  ASSERT_EQ(picture->nodes.size(), index->size());
  EXPECT_EQ(picture->edges.size(), clustering->graph.edges.size());
  // Each place once, with its name and its side's fill.
  std::set<std::string> seen;
  for (const PictureNode& node : picture->nodes) {
    const std::optional<size_t> row = index->Find(node.id);
    ASSERT_TRUE(row.has_value()) << node.id;
    EXPECT_TRUE(seen.insert(node.id).second) << node.id;
    EXPECT_EQ(node.label.rfind(index->at(*row).profile.name + "\n", 0), 0u)
        << node.label;
    EXPECT_EQ(node.fill,
              index->at(*row).eu_member ? kEuMemberFill : kPartnerCountryFill);
  }
  auto svg = DotToSvg(dot);
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(Count(*svg, "<g class=\"node\""), index->size());
  EXPECT_EQ(Count(*svg, "data-a="), clustering->graph.edges.size());
  EXPECT_NE(svg->find(">partner country</text>"), std::string::npos);
}

TEST(DotToSvg, EscapedLabelsComeBackAsWritten) {
  const auto index = testing::DotTestIndex();
  PlanDot plan;
  plan.groups.push_back({{0, 4}, 0.4, true, {}});  // almeria, "node"
  plan.unmatched = {2};
  auto picture = PictureFromDot(PairingPlanDot(*index, plan));
  ASSERT_TRUE(picture.ok()) << picture.status();
  ASSERT_EQ(picture->nodes.size(), 3u);
  for (const PictureNode& node : picture->nodes) {
    if (node.id == "node") {
      EXPECT_EQ(node.label, "Saint \"Q\" \\ Ñandú <b>& next\n(CO)");
    }
    // Only the unmatched place is dashed.
    EXPECT_EQ(node.style == LineStyle::kDashed, node.id == "graph") << node.id;
  }
  ASSERT_EQ(picture->edges.size(), 1u);
  EXPECT_EQ(picture->edges[0].label, "0.400");
}

TEST(DotToSvg, RefusesTextThatIsNotDot) {
  auto svg = DotToSvg("graph G { a -- ; }");
  EXPECT_EQ(svg.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(svg.status().message().rfind("cannot read the DOT graph: ", 0), 0u)
      << svg.status();
  EXPECT_FALSE(DotToSvg("digraph G { a -> b; }").ok());
}

}  // namespace
}  // namespace pm
