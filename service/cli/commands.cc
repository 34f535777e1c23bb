#include "service/cli/commands.h"

#include "service/cli/cli_common.h"

namespace pm::cli {

int Run(int argc, char** argv) {
  CLI::App app{
      "partner-match: partner suggestions and pairing plans for city-to-city "
      "and region-to-region cooperation programmes."};
  app.require_subcommand(1);
  Context ctx;
  app.add_option("--db", ctx.db,
                 "The store (SQLite); default $PARTNER_MATCH_DB, else "
                 "$XDG_DATA_HOME/partner-match/store.db, else "
                 "~/.local/share/partner-match/store.db");
  app.fallthrough();
  AddServeCommand(app, ctx);
  AddProfileCommands(app, ctx);
  AddMatchCommands(app, ctx);
  AddTaxonomyCommands(app, ctx);
  AddDecisionCommands(app, ctx);
  AddCohortCommands(app, ctx);
  AddPlanCommand(app, ctx);
  AddHealthCommand(app, ctx);
  try {
    app.parse(argc, argv);  // runs the chosen subcommand's callback
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return ctx.exit_code;
}

}  // namespace pm::cli
