#include "engine/graph/graph_svg.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/graph/graph_layout.h"

namespace pm {
namespace {

constexpr double kUnit = 100;        // pixels per layout unit
constexpr double kMargin = 30;       // around the drawing
constexpr double kRadius = 7;        // of a node
constexpr double kLegendLine = 20;   // height of a legend line
constexpr const char* kFont = "Helvetica, Arial, sans-serif";

const char* DashArray(LineStyle style) {
  switch (style) {
    case LineStyle::kDashed:
      return " stroke-dasharray=\"6 4\"";
    case LineStyle::kDotted:
      return " stroke-dasharray=\"1.5 3\" stroke-linecap=\"round\"";
    case LineStyle::kSolid:
      break;
  }
  return "";
}

std::string Px(double v) { return absl::StrFormat("%.1f", v); }

// The label's first line and the rest (after the first '\n').
std::pair<std::string, std::string> LabelLines(const std::string& label) {
  const size_t nl = label.find('\n');
  if (nl == std::string::npos) return {label, ""};
  std::string rest = label.substr(nl + 1);
  std::replace(rest.begin(), rest.end(), '\n', ' ');
  return {label.substr(0, nl), rest};
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if ((u < 0x20 && c != '\t' && c != '\n') || u == 0x7f) break;
        out += c;
    }
  }
  return out;
}

std::string PictureSvg(const GraphPicture& picture) {
  const size_t n = picture.nodes.size();
  std::vector<LayoutEdge> layout_edges;
  for (const PictureEdge& e : picture.edges) {
    if (e.a < n && e.b < n) layout_edges.push_back({e.a, e.b, e.layout_weight});
  }
  const GraphLayout layout = LayoutGraph(n, layout_edges);
  const auto x = [&](size_t i) { return kMargin + kUnit * layout.points[i].x; };
  const auto y = [&](size_t i) { return kMargin + kUnit * layout.points[i].y; };
  const double drawing_height = kUnit * layout.height + 2 * kMargin;
  const double width = std::max(kUnit * layout.width + 2 * kMargin, 480.0);
  // The legend under the drawing, one entry a line.
  std::vector<std::pair<double, double>> legend_at;
  for (size_t k = 0; k < picture.legend.size(); ++k) {
    legend_at.push_back({kMargin, drawing_height + kLegendLine * static_cast<double>(k)});
  }
  const double height =
      drawing_height + kLegendLine * static_cast<double>(picture.legend.size()) + 10;

  std::string out = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" "
      "width=\"%s\" height=\"%s\" viewBox=\"0 0 %s %s\" font-family=\"%s\">\n",
      Px(width), Px(height), Px(width), Px(height), kFont);
  if (!picture.title.empty()) {
    absl::StrAppend(&out, "<title>", XmlEscape(picture.title), "</title>\n");
  }
  absl::StrAppend(&out, "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
  absl::StrAppend(&out, "<g class=\"edges\">\n");
  for (const PictureEdge& e : picture.edges) {
    if (!e.drawn || e.a >= n || e.b >= n) continue;
    absl::StrAppend(
        &out, "<g class=\"edge", e.kind.empty() ? "" : " ", XmlEscape(e.kind),
        "\" data-a=\"", XmlEscape(picture.nodes[e.a].id), "\" data-b=\"",
        XmlEscape(picture.nodes[e.b].id), "\">");
    if (!e.tooltip.empty()) {
      absl::StrAppend(&out, "<title>", XmlEscape(e.tooltip), "</title>");
    }
    absl::StrAppend(&out, "<line x1=\"", Px(x(e.a)), "\" y1=\"", Px(y(e.a)),
                    "\" x2=\"", Px(x(e.b)), "\" y2=\"", Px(y(e.b)),
                    "\" stroke=\"", XmlEscape(e.colour), "\" stroke-width=\"",
                    Px(e.width), "\"", DashArray(e.style), "/>");
    if (!e.label.empty()) {
      absl::StrAppend(&out, "<text x=\"", Px((x(e.a) + x(e.b)) / 2),
                      "\" y=\"", Px((y(e.a) + y(e.b)) / 2 - 3),
                      "\" font-size=\"9\" fill=\"#555555\" "
                      "text-anchor=\"middle\">",
                      XmlEscape(e.label), "</text>");
    }
    absl::StrAppend(&out, "</g>\n");
  }
  absl::StrAppend(&out, "</g>\n<g class=\"nodes\">\n");
  for (size_t i = 0; i < n; ++i) {
    const PictureNode& node = picture.nodes[i];
    const auto [first, rest] = LabelLines(node.label);
    absl::StrAppend(&out, "<g class=\"node\" data-id=\"", XmlEscape(node.id),
                    "\"");
    if (!node.group.empty()) {
      absl::StrAppend(&out, " data-group=\"", XmlEscape(node.group), "\"");
    }
    absl::StrAppend(&out, ">");
    if (!node.tooltip.empty()) {
      absl::StrAppend(&out, "<title>", XmlEscape(node.tooltip), "</title>");
    }
    absl::StrAppend(&out, "<circle cx=\"", Px(x(i)), "\" cy=\"", Px(y(i)),
                    "\" r=\"", Px(kRadius), "\" fill=\"", XmlEscape(node.fill),
                    "\" stroke=\"", XmlEscape(node.stroke),
                    "\" stroke-width=\"", Px(node.stroke_width), "\"",
                    DashArray(node.style), "/>");
    absl::StrAppend(&out, "<text x=\"", Px(x(i)), "\" y=\"",
                    Px(y(i) + kRadius + 12),
                    "\" font-size=\"11\" fill=\"#222222\" text-anchor=\"middle\" "
                    "paint-order=\"stroke\" stroke=\"#ffffff\" "
                    "stroke-width=\"3\">",
                    XmlEscape(first));
    if (!rest.empty()) {
      absl::StrAppend(&out, "<tspan x=\"", Px(x(i)),
                      "\" dy=\"11\" font-size=\"9\" fill=\"#666666\">",
                      XmlEscape(rest), "</tspan>");
    }
    absl::StrAppend(&out, "</text></g>\n");
  }
  absl::StrAppend(&out, "</g>\n");
  if (!picture.legend.empty()) {
    absl::StrAppend(&out, "<g class=\"legend\" font-size=\"11\" fill=\"#333333\">\n");
    for (size_t k = 0; k < picture.legend.size(); ++k) {
      const LegendEntry& entry = picture.legend[k];
      const auto [at_x, at_y] = legend_at[k];
      const double mid = at_y + kLegendLine / 2;
      if (entry.line) {
        absl::StrAppend(&out, "<line x1=\"", Px(at_x), "\" y1=\"", Px(mid),
                        "\" x2=\"", Px(at_x + 26), "\" y2=\"", Px(mid),
                        "\" stroke=\"", XmlEscape(entry.stroke),
                        "\" stroke-width=\"", Px(entry.width), "\"",
                        DashArray(entry.style), "/>");
      } else {
        absl::StrAppend(&out, "<circle cx=\"", Px(at_x + 13), "\" cy=\"",
                        Px(mid), "\" r=\"", Px(kRadius), "\" fill=\"",
                        XmlEscape(entry.fill), "\" stroke=\"",
                        XmlEscape(entry.stroke), "\" stroke-width=\"",
                        Px(entry.width), "\"", DashArray(entry.style), "/>");
      }
      absl::StrAppend(&out, "<text x=\"", Px(at_x + 32), "\" y=\"",
                      Px(mid + 4), "\">", XmlEscape(entry.text), "</text>\n");
    }
    absl::StrAppend(&out, "</g>\n");
  }
  absl::StrAppend(&out, "</svg>\n");
  return out;
}

}  // namespace pm
