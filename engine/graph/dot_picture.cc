#include "engine/graph/dot_picture.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <exception>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/graph/graph_dot.h"

namespace pm {
namespace {

struct DotNode {
  std::string name, id, label, tooltip, fillcolor, color, style, penwidth;
};
struct DotLink {
  std::string label, tooltip, color, style, penwidth, len;
};
using DotGraph = boost::adjacency_list<boost::vecS, boost::vecS,
                                       boost::undirectedS, DotNode, DotLink>;

// An escString's escapes resolved: "\n", "\l", "\r" → newline, "\x" → x.
// (The reader has already turned \" into ".)
std::string Unescape(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char next = text[++i];
    out += next == 'n' || next == 'l' || next == 'r' ? '\n' : next;
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

double Number(const std::string& text, double otherwise) {
  double value = 0;
  return absl::SimpleAtod(text, &value) ? value : otherwise;
}

LineStyle StyleOf(const std::string& style) {
  if (style.find("dashed") != std::string::npos) return LineStyle::kDashed;
  if (style.find("dotted") != std::string::npos) return LineStyle::kDotted;
  return LineStyle::kSolid;
}

}  // namespace

absl::StatusOr<GraphPicture> PictureFromDot(std::string_view dot) {
  DotGraph g;
  boost::dynamic_properties dp(boost::ignore_other_properties);
  dp.property("node_id", boost::get(&DotNode::name, g));
  dp.property("id", boost::get(&DotNode::id, g));
  dp.property("label", boost::get(&DotNode::label, g));
  dp.property("tooltip", boost::get(&DotNode::tooltip, g));
  dp.property("fillcolor", boost::get(&DotNode::fillcolor, g));
  dp.property("color", boost::get(&DotNode::color, g));
  dp.property("style", boost::get(&DotNode::style, g));
  dp.property("penwidth", boost::get(&DotNode::penwidth, g));
  dp.property("label", boost::get(&DotLink::label, g));
  dp.property("tooltip", boost::get(&DotLink::tooltip, g));
  dp.property("color", boost::get(&DotLink::color, g));
  dp.property("style", boost::get(&DotLink::style, g));
  dp.property("penwidth", boost::get(&DotLink::penwidth, g));
  dp.property("len", boost::get(&DotLink::len, g));
  try {
    if (!boost::read_graphviz(std::string(dot), g, dp, "node_id")) {
      return absl::InvalidArgumentError(
          "cannot read the DOT graph: not an undirected graph");
    }
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read the DOT graph: ", e.what()));
  }
  GraphPicture picture;
  std::set<std::string> fills;
  for (auto v : boost::make_iterator_range(boost::vertices(g))) {
    const DotNode& d = g[v];
    PictureNode node;
    node.id = d.id.empty() ? d.name : d.id;
    node.label = Unescape(d.label.empty() ? node.id : d.label);
    node.tooltip = Unescape(d.tooltip);
    if (!d.fillcolor.empty()) node.fill = d.fillcolor;
    if (!d.color.empty()) node.stroke = d.color;
    node.stroke_width = Number(d.penwidth, 1);
    node.style = StyleOf(d.style);
    fills.insert(node.fill);
    picture.nodes.push_back(std::move(node));
  }
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const DotLink& d = g[e];
    PictureEdge edge;
    edge.a = boost::source(e, g);
    edge.b = boost::target(e, g);
    edge.layout_weight = d.len.empty() ? 1 : (2.5 - Number(d.len, 1)) / 1.5;
    edge.width = Number(d.penwidth, 1);
    if (d.style.find("bold") != std::string::npos) edge.width *= 1.6;
    if (!d.color.empty()) edge.colour = d.color;
    edge.style = StyleOf(d.style);
    edge.label = Unescape(d.label);
    edge.tooltip = Unescape(d.tooltip);
    picture.edges.push_back(std::move(edge));
  }
  if (fills.count(kEuMemberFill)) {
    picture.legend.push_back({"EU member", kEuMemberFill});
  }
  if (fills.count(kPartnerCountryFill)) {
    picture.legend.push_back({"partner country", kPartnerCountryFill});
  }
  return picture;
}

absl::StatusOr<std::string> DotToSvg(std::string_view dot) {
  absl::StatusOr<GraphPicture> picture = PictureFromDot(dot);
  if (!picture.ok()) return picture.status();
  return PictureSvg(*picture);
}

}  // namespace pm
