// The partner-match command line: subcommands over the engine, human tables
// by default and the documented JSON shapes with --json.
#ifndef PARTNER_MATCH_SERVICE_CLI_COMMANDS_H_
#define PARTNER_MATCH_SERVICE_CLI_COMMANDS_H_

namespace pm::cli {

// Parses `argv` and runs the subcommand. Exit status: 0 on success, 1 when
// the input or the store is at fault (the message on stderr names the
// problem), 2 on a usage error.
int Run(int argc, char** argv);

}  // namespace pm::cli

#endif  // PARTNER_MATCH_SERVICE_CLI_COMMANDS_H_
