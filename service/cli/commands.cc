#include "service/cli/commands.h"

#include <utility>

#include "service/cli/cli_common.h"
#include "service/cli/progress_bar.h"

#ifndef PM_VERSION
#error "PM_VERSION (the CMake project version) must be defined"
#endif

namespace pm::cli {
namespace {

// One example per command, shown at the end of its --help.
constexpr std::pair<const char*, const char*> kExamples[] = {
    {"serve", "partner-match serve --port 50051"},
    {"init", "partner-match init --empty --db cohort.db"},
    {"import", "partner-match import cohort.jsonl"},
    {"list", "partner-match list --kind region --country ES"},
    {"show", "partner-match show --id almeria"},
    {"themes", "partner-match themes --id almeria"},
    {"suggest", "partner-match suggest --id bratislava --k 5"},
    {"explain", "partner-match explain --id almeria --with cali"},
    {"plan", "partner-match plan --kind city --fix bratislava:cali --dot plan.dot"},
    {"clusters", "partner-match clusters --min-size 3"},
    {"exposure", "partner-match exposure --diversity 0.5"},
    {"decide",
     "partner-match decide --id bratislava --with cali --kind accepted "
     "--who \"Ana Ruiz\" --why \"signed in May\""},
    {"decisions", "partner-match decisions --id cali"},
    {"taxonomy", "partner-match taxonomy check --fail-on-unused"},
    {"health", "partner-match health --address 127.0.0.1:50051 --wait 30"},
    {"report", "partner-match report --region 'Latin America and the "
               "Caribbean' --out plan.html"},
};

// An empty list's default reads "[]" in --help: show none instead.
void HideEmptyListDefaults(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (option->get_default_str() == "[]") option->default_str("");
  }
  for (CLI::App* sub : app.get_subcommands({})) HideEmptyListDefaults(*sub);
}

}  // namespace

int Run(int argc, char** argv) {
  CLI::App app{
      "partner-match: partner suggestions and pairing plans for city-to-city "
      "and region-to-region cooperation programmes."};
  app.require_subcommand(1);
  // Inherited by every option added below, subcommands' included: --help
  // shows each option's default.
  app.option_defaults()->always_capture_default();
  app.set_version_flag("--version", std::string("partner-match ") + PM_VERSION);
  Context ctx;
  app.add_option("--db", ctx.db,
                 "The store: a SQLite file, or a PostgreSQL database "
                 "(postgresql://user@host/dbname); default $PM_DB, else "
                 "$PARTNER_MATCH_DB, else "
                 "$XDG_DATA_HOME/partner-match/store.db, else "
                 "~/.local/share/partner-match/store.db. Only init (and serve "
                 "at the default path) create a store");
  app.add_flag("--quiet", ctx.quiet,
               "No progress bar (there is none anyway when stdout is not a "
               "terminal)");
  app.fallthrough();
  ProgressBar bar(ctx);
  ctx.progress = &bar;
  AddServeCommand(app, ctx);
  AddProfileCommands(app, ctx);
  AddListCommands(app, ctx);
  AddMatchCommands(app, ctx);
  AddTaxonomyCommands(app, ctx);
  AddDecisionCommands(app, ctx);
  AddCohortCommands(app, ctx);
  AddPlanCommand(app, ctx);
  AddHealthCommand(app, ctx);
  AddReportCommand(app, ctx);
  for (const auto& [name, example] : kExamples) {
    app.get_subcommand(name)->footer(std::string("Example: ") + example);
  }
  HideEmptyListDefaults(app);
  try {
    app.parse(argc, argv);  // runs the chosen subcommand's callback
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return ctx.exit_code;
}

}  // namespace pm::cli
