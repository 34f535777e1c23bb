// Drawing a DOT graph (engine/graph/graph_dot.h) as SVG with Graphviz's
// `dot` program, when it is installed: the CLI's --svg. The program runs in
// its own process, bounded in input, output and time.
#ifndef PARTNER_MATCH_SERVICE_CLI_GRAPHVIZ_H_
#define PARTNER_MATCH_SERVICE_CLI_GRAPHVIZ_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace pm::cli {

struct SvgRenderOptions {
  // The Graphviz program; empty: `dot` found on $PATH.
  std::string dot_program;
  // Larger DOT input is refused.
  size_t max_input_bytes = size_t{8} << 20;  // 8 MiB
  // Larger SVG output is refused (the program is killed).
  size_t max_output_bytes = size_t{64} << 20;  // 64 MiB
  // The program is killed after this long.
  int timeout_ms = 30000;
};

// Renders `dot` to SVG with `dot -Tsvg`. The program runs without a shell
// (posix_spawn), reads the input from an unlinked temporary file, inherits no
// other descriptors, and has file loading disabled (its environment holds
// only SERVER_NAME, which makes Graphviz refuse image and font files from
// the input). Returns the SVG document, or:
//   FAILED_PRECONDITION "Graphviz 'dot' is not installed" (no program);
//   RESOURCE_EXHAUSTED when the input or the output is over its limit;
//   INVALID_ARGUMENT "Graphviz 'dot' failed: <its first error line>" when
//   the program rejects the input;
//   DEADLINE_EXCEEDED when it runs past timeout_ms;
//   INTERNAL when the system refuses a temporary file, pipe or process.
// Thread-safe (each call runs its own process).
absl::StatusOr<std::string> RenderSvg(std::string_view dot,
                                      const SvgRenderOptions& options = {});

}  // namespace pm::cli

#endif  // PARTNER_MATCH_SERVICE_CLI_GRAPHVIZ_H_
