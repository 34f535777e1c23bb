#include "service/cli/graphviz.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "engine/graph/graph_dot.h"
#include "engine/graph/thematic_clusters.h"
#include "tests/engine/graph/graph_test_data.h"

namespace pm::cli {
namespace {

using testing::AllRows;
using testing::DotTestIndex;

bool HaveDot() { return RenderSvg("graph G {}").ok(); }

TEST(GraphvizTest, RenderSvgDrawsBothGraphs) {
  if (!HaveDot()) GTEST_SKIP() << "Graphviz 'dot' is not installed";
  auto index = DotTestIndex();
  auto clusters = FindThematicClusters(*index, AllRows(*index));
  ASSERT_TRUE(clusters.ok());
  auto svg = RenderSvg(
      SimilarityGraphDot(*index, clusters->graph, clusters->clusters));
  ASSERT_TRUE(svg.ok()) << svg.status();
  EXPECT_NE(svg->find("<svg"), std::string::npos);
  // The escaped name comes out as written (XML-escaped by Graphviz).
  EXPECT_NE(svg->find("Saint &quot;Q&quot; \\ Ñandú &lt;b&gt;&amp; next"),
            std::string::npos)
      << *svg;
  EXPECT_NE(svg->find("id=\"node\""), std::string::npos);

  PlanDot plan;
  plan.groups.push_back(
      {{*index->Find("almeria"), *index->Find("node")}, 0.4, false, {}});
  auto plan_svg = RenderSvg(PairingPlanDot(*index, plan));
  ASSERT_TRUE(plan_svg.ok()) << plan_svg.status();
  EXPECT_NE(plan_svg->find("<svg"), std::string::npos);
  EXPECT_NE(plan_svg->find("0.400"), std::string::npos);
}

TEST(GraphvizTest, RenderSvgRefusesBadDotWithGraphvizsMessage) {
  if (!HaveDot()) GTEST_SKIP() << "Graphviz 'dot' is not installed";
  auto svg = RenderSvg("graph G { a -- ; }");
  EXPECT_EQ(svg.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(svg.status().message().rfind("Graphviz 'dot' failed: ", 0), 0u)
      << svg.status();
  EXPECT_NE(svg.status().message().find("syntax error"), std::string::npos)
      << svg.status();
}

TEST(GraphvizTest, RenderSvgWithoutDotIsAFailedPrecondition) {
  SvgRenderOptions options;
  options.dot_program = "/nonexistent/bin/dot";
  auto svg = RenderSvg("graph G {}", options);
  EXPECT_EQ(svg.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(svg.status().message().rfind("Graphviz 'dot' is not installed", 0),
            0u)
      << svg.status();

  // Nor is it found on a PATH without it.
  const char* old = std::getenv("PATH");
  const std::string saved = old ? old : "";
  setenv("PATH", "/nonexistent", 1);
  auto missing = RenderSvg("graph G {}");
  setenv("PATH", saved.c_str(), 1);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      missing.status().message().rfind("Graphviz 'dot' is not installed", 0),
      0u);
}

TEST(GraphvizTest, RenderSvgBoundsInputOutputAndTime) {
  SvgRenderOptions options;
  options.max_input_bytes = 10;
  auto big = RenderSvg("graph G { a -- b; }", options);
  EXPECT_EQ(big.status().code(), absl::StatusCode::kResourceExhausted);

  // Stand-ins for a runaway `dot`: one that talks for ever, one that hangs.
  const std::string dir = ::testing::TempDir();
  const std::string chatty = dir + "/chatty-dot", slow = dir + "/slow-dot";
  std::ofstream(chatty) << "#!/bin/sh\nexec /usr/bin/yes\n";
  std::ofstream(slow) << "#!/bin/sh\nexec /bin/sleep 10\n";
  ASSERT_EQ(::chmod(chatty.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(slow.c_str(), 0755), 0);

  options = SvgRenderOptions();
  options.dot_program = chatty;
  options.max_output_bytes = 1 << 20;
  auto loud = RenderSvg("graph G {}", options);
  EXPECT_EQ(loud.status().code(), absl::StatusCode::kResourceExhausted)
      << loud.status();

  options = SvgRenderOptions();
  options.dot_program = slow;
  options.timeout_ms = 200;
  auto late = RenderSvg("graph G {}", options);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kDeadlineExceeded)
      << late.status();
  std::remove(chatty.c_str());
  std::remove(slow.c_str());
}

TEST(GraphvizTest, StandInDotShowsInputOutputAndErrorPaths) {
  // Stand-ins for `dot` (Graphviz need not be installed): one that echoes
  // its input inside an <svg> element, one that fails like dot on bad input.
  const std::string dir = ::testing::TempDir();
  const std::string echo = dir + "/echo-dot", bad = dir + "/bad-dot";
  std::ofstream(echo) << "#!/bin/sh\necho '<svg>'; /bin/cat; echo '</svg>'\n";
  std::ofstream(bad) << "#!/bin/sh\necho 'Warning: odd' >&2\n"
                        "echo 'Error: <stdin>: syntax error in line 1' >&2\n"
                        "exit 1\n";
  ASSERT_EQ(::chmod(echo.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(bad.c_str(), 0755), 0);
  SvgRenderOptions options;
  options.dot_program = echo;
  auto svg = RenderSvg("graph G { a -- b; }", options);
  ASSERT_TRUE(svg.ok()) << svg.status();
  EXPECT_EQ(*svg, "<svg>\ngraph G { a -- b; }</svg>\n");
  options.dot_program = bad;
  svg = RenderSvg("graph G {}", options);
  EXPECT_EQ(svg.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(svg.status().message(),
            "Graphviz 'dot' failed: Error: <stdin>: syntax error in line 1");
  std::remove(echo.c_str());
  std::remove(bad.c_str());
}

}  // namespace
}  // namespace pm::cli
