// partner-match: the command line. Wiring only; see service/cli/commands.h.
#include "service/cli/commands.h"
#include "service/cli/huge_pages.h"

int main(int argc, char** argv) {
  pm::cli::StartWithHugePages(argv);
  return pm::cli::Run(argc, argv);
}
