// Drawing the DOT graphs of graph_dot.h without Graphviz: the DOT text is
// read back (Boost.Graph's read_graphviz) into a GraphPicture (graph_svg.h)
// whose look follows the DOT attributes, then laid out and written by the
// program itself. This is what `plan --svg` and `clusters --svg` draw; the
// DOT itself stays available (--dot) for those who prefer Graphviz.
//
// Attributes used: node `id` (else the DOT node name), `label` (escString:
// "\n", "\l", "\r" break lines), `tooltip`, `fillcolor`, `color` (the
// border), `penwidth`, `style` (containing "dashed" or "dotted"); edge
// `label`, `tooltip`, `color`, `penwidth`, `style` ("dashed", "dotted";
// "bold" widens the line), and `len` (the layout: an edge of len 1 pulls
// hardest, len 2.5 least, as SimilarityGraphDot writes them). Others are
// ignored. The legend names the two sides when their fills
// (kEuMemberFill, kPartnerCountryFill) appear.
#ifndef PARTNER_MATCH_ENGINE_GRAPH_DOT_PICTURE_H_
#define PARTNER_MATCH_ENGINE_GRAPH_DOT_PICTURE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/graph/graph_svg.h"

namespace pm {

// The picture of a DOT graph; INVALID_ARGUMENT "cannot read the DOT graph:
// <the parser's message>" for text that is not DOT.
absl::StatusOr<GraphPicture> PictureFromDot(std::string_view dot);

// PictureSvg(PictureFromDot(dot)).
absl::StatusOr<std::string> DotToSvg(std::string_view dot);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_GRAPH_DOT_PICTURE_H_
