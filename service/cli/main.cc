// partner-match: the command line. Wiring only; see service/cli/commands.h.
#include "service/cli/commands.h"

int main(int argc, char** argv) { return pm::cli::Run(argc, argv); }
