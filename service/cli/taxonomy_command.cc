// taxonomy (check).
#include "service/cli/cli_common.h"

namespace pm::cli {

void AddTaxonomyCommands(CLI::App& app, Context& ctx) {}

}  // namespace pm::cli
