// The command line's everyday conveniences, on the real binary: list and
// show, "did you mean", a missing --db refused, a plan printed without its
// picture, --help with defaults and an example, --version, health.
#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "partnermatch/v1/partner_match.pb.h"
#include "tests/service/cli_fixture.h"

namespace {

namespace v1 = partnermatch::v1;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

using Result = pm::testing::CliResult;
using CliEverydayTest = pm::testing::CliFixture;

TEST_F(CliEverydayTest, ListShowsEveryProfileOrTheChosenOnes) {
  Result all = Run("list --db " + Store());
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_THAT(all.out, HasSubstr("29 of 29 profiles"));
  EXPECT_THAT(all.out, HasSubstr("almeria"));
  EXPECT_THAT(all.out, HasSubstr("Almería"));

  Result regions = Run("list --kind region --country es --db " + Store());
  ASSERT_EQ(regions.exit_code, 0) << regions.err;
  EXPECT_THAT(regions.out, HasSubstr("castilla-y-leon"));
  EXPECT_THAT(regions.out, HasSubstr("1 of 29 profiles"));
  EXPECT_THAT(regions.out, Not(HasSubstr("almeria")));

  Result json = Run("list --json --country CO --db " + Store());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  v1::ListProfilesResponse listed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &listed).ok());
  ASSERT_GT(listed.profiles_size(), 0);
  for (const v1::Profile& p : listed.profiles()) {
    EXPECT_EQ(p.country(), "CO") << p.id();
    EXPECT_FALSE(p.eu_member()) << p.id();
  }

  Result bad = Run("list --country XX --db " + Store());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("unknown country code 'XX'"));
  EXPECT_EQ(Run("list --kind town --db " + Store()).exit_code, 2);
}

TEST_F(CliEverydayTest, ShowPrintsOneProfile) {
  Result table = Run("show --id almeria --db " + Store());
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("Almería (almeria · city · ES · EU member)"));
  EXPECT_THAT(table.out, HasSubstr("world region:"));
  EXPECT_THAT(table.out, HasSubstr("water"));

  Result json = Run("show --id almeria --json --db " + Store());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  v1::GetProfileResponse shown;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &shown).ok());
  EXPECT_EQ(shown.profile().id(), "almeria");
  EXPECT_TRUE(shown.profile().eu_member());
  EXPECT_FALSE(shown.themes().empty());
}

TEST_F(CliEverydayTest, UnknownIdsGetADidYouMean) {
  Result typo = Run("show --id bratislva --db " + Store());
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_THAT(typo.err, HasSubstr("no profile with id 'bratislva'; did you "
                                  "mean 'bratislava'?"));
  // A name typed for an id.
  Result name = Run("suggest --id 'Da Lat' --db " + Store());
  EXPECT_EQ(name.exit_code, 1);
  EXPECT_THAT(name.err, HasSubstr("did you mean 'da-lat'?"));
  Result far = Run("explain --id almeria --with tokyo --db " + Store());
  EXPECT_EQ(far.exit_code, 1);
  EXPECT_THAT(far.err, HasSubstr("no profile with id 'tokyo'"));
  EXPECT_THAT(far.err, Not(HasSubstr("did you mean")));
}

TEST_F(CliEverydayTest, AMissingDbIsRefusedNotCreated) {
  const std::string missing = (dir_ / "mistyped.db").string();
  for (const char* cmd : {"list", "suggest --id bratislava", "plan",
                          "decisions", "serve --port 0"}) {
    Result r = Run(std::string(cmd) + " --db " + missing);
    EXPECT_EQ(r.exit_code, 1) << cmd;
    EXPECT_THAT(r.err, HasSubstr("no store at '" + missing + "'")) << cmd;
    EXPECT_THAT(r.err, HasSubstr("--db " + missing + " init")) << cmd;
    EXPECT_FALSE(std::filesystem::exists(missing)) << cmd;
  }
  ASSERT_EQ(Run("init --db " + missing).exit_code, 0);
  EXPECT_EQ(Run("list --db " + missing).exit_code, 0);
}

TEST_F(CliEverydayTest, PlanIsPrintedWhenItsPictureCannotBeDrawn) {
  const std::string svg = (dir_ / "no-such-dir" / "plan.svg").string();
  Result r = Run("plan --svg " + svg + " --db " + Store());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Plan for 29 places"));
  EXPECT_THAT(r.err, HasSubstr("warning: no picture drawn"));
  EXPECT_FALSE(std::filesystem::exists(svg));
}

TEST_F(CliEverydayTest, PlanAndClustersDrawTheirOwnSvgWithoutGraphviz) {
  for (const std::string command : {"plan", "clusters"}) {
    const std::string svg = (dir_ / (command + ".svg")).string();
    Result r = Run(command + " --svg " + svg + " --db " + Store());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "") << command;  // drawn by the program, no warning
    const std::string drawn = Slurp(svg);
    EXPECT_EQ(drawn.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    size_t nodes = 0;
    for (size_t at = drawn.find("<g class=\"node\""); at != std::string::npos;
         at = drawn.find("<g class=\"node\"", at + 1)) {
      ++nodes;
    }
    EXPECT_EQ(nodes, 29u) << command;  // every place once
    EXPECT_THAT(drawn, HasSubstr(">Almería<")) << command;
  }
}

TEST_F(CliEverydayTest, PlanIsPrintedWhenItsDotCannotBeWritten) {
  const std::string dot = (dir_ / "no-such-dir" / "plan.dot").string();
  Result r = Run("plan --dot " + dot + " --db " + Store());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("Plan for 29 places"));
  EXPECT_THAT(r.err, HasSubstr("cannot write '" + dot + "'"));
}

TEST_F(CliEverydayTest, HelpShowsDefaultsAndAnExample) {
  Result suggest = Run("suggest --help");
  ASSERT_EQ(suggest.exit_code, 0);
  EXPECT_THAT(suggest.out, HasSubstr("=10"));   // --k
  EXPECT_THAT(suggest.out, HasSubstr("=0.5"));  // --diversity
  for (const char* cmd :
       {"serve", "init", "import", "list", "show", "themes", "suggest",
        "explain", "plan", "clusters", "exposure", "decide", "decisions",
        "taxonomy", "health"}) {
    Result r = Run(std::string(cmd) + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_THAT(r.out, HasSubstr(std::string("Example: partner-match ") + cmd))
        << cmd;
    EXPECT_THAT(r.out, Not(HasSubstr("=[]"))) << cmd;
  }
}

TEST_F(CliEverydayTest, VersionIsTheProjectVersion) {
  Result r = Run("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, std::string("partner-match ") + PM_PROJECT_VERSION + "\n");
}

TEST_F(CliEverydayTest, HealthFailsWithoutAServer) {
  // Port 1 on localhost: nothing listens there.
  Result r = Run("health --address 127.0.0.1:1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no health answer from 127.0.0.1:1"));
}

}  // namespace
