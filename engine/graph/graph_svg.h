// A graph drawn by the program itself: nodes and edges with their look,
// laid out by LayoutGraph (graph_layout.h) and written as an SVG document,
// with no Graphviz involved. Used for `plan --svg`, `clusters --svg`
// (through dot_picture.h) and the report page's network picture.
//
// The SVG: a white background; edges first (straight lines, `<title>` as
// tooltip), then nodes (circles with their label below, `<title>` as
// tooltip), then the legend under the drawing, one entry a line. Every node is a
// `<g class="node" data-id="ID">`, every edge a `<g class="edge KIND"
// data-a="ID" data-b="ID">`, so that a page's script can find and filter
// them. All text is XML-escaped (control characters dropped). Styles are
// attributes, not CSS, so the document looks the same inline in HTML and on
// its own. Deterministic; thread-safe.
#ifndef PARTNER_MATCH_ENGINE_GRAPH_GRAPH_SVG_H_
#define PARTNER_MATCH_ENGINE_GRAPH_GRAPH_SVG_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pm {

enum class LineStyle { kSolid, kDashed, kDotted };

struct PictureNode {
  std::string id;       // the data-id attribute (e.g. a profile id)
  std::string label;    // below the node; a '\n' starts a smaller line
  std::string tooltip;  // shown on hover
  std::string fill = "#cfe2ff";
  std::string stroke = "#4a4a4a";
  double stroke_width = 1;
  LineStyle style = LineStyle::kSolid;
  std::string group;  // the data-group attribute (e.g. a cluster), or empty
};

struct PictureEdge {
  size_t a = 0;  // indices into GraphPicture::nodes
  size_t b = 0;
  // Pull in the layout, in [0, 1]: the stronger, the shorter.
  double layout_weight = 1;
  // False: the edge only shapes the layout and is not drawn.
  bool drawn = true;
  double width = 1;
  std::string colour = "#999999";
  LineStyle style = LineStyle::kSolid;
  std::string label;  // drawn at the middle of the line, or empty
  std::string tooltip;
  std::string kind;  // added to the element's class, e.g. "planned"
};

// One line of the legend: a node swatch (filled circle) or, with `line`,
// an edge swatch.
struct LegendEntry {
  std::string text;
  std::string fill = "#ffffff";  // node swatches
  std::string stroke = "#4a4a4a";
  bool line = false;
  LineStyle style = LineStyle::kSolid;
  double width = 1;
};

struct GraphPicture {
  std::string title;  // the document's <title>, or empty
  std::vector<PictureNode> nodes;
  std::vector<PictureEdge> edges;  // an edge with an index out of range is skipped
  std::vector<LegendEntry> legend;
};

// The picture as a standalone SVG document (also valid inline in HTML5).
std::string PictureSvg(const GraphPicture& picture);

// `text` with & < > " ' as XML entities and control characters other than
// tab and newline dropped (they are not allowed in XML 1.0).
std::string XmlEscape(std::string_view text);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_GRAPH_GRAPH_SVG_H_
