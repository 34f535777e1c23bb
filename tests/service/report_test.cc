// `partner-match report` rendered in a real browser: headless Chromium
// (Debian's chromium package) loads the page from disk with the network
// shut off, runs its script, dumps the DOM and takes a screenshot, written
// to the build tree (report_screenshot.png) for a person to look at.
#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include "partnermatch/v1/partner_match.pb.h"
#include "tests/service/cli_fixture.h"

namespace {

using pm::testing::CliResult;

namespace v1 = partnermatch::v1;
using ::testing::HasSubstr;
using ::testing::Not;

class ReportTest : public pm::testing::CliFixture {
 protected:
  // Runs Chromium headless on `url` with `what` (--dump-dom, --screenshot=…);
  // what it printed on stdout.
  std::string Chromium(const std::string& url, const std::string& what) {
    const std::string chromium = "/usr/bin/chromium";
    EXPECT_TRUE(std::filesystem::exists(chromium))
        << "Debian's chromium package is needed (scripts/setup.sh installs it)";
    const std::string profile = (dir_ / "chromium-profile").string();
    std::filesystem::remove_all(profile);
    const std::string out = (dir_ / "chromium.out").string();
    const std::string command =
        chromium +
        " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
        " --disable-background-networking --disable-component-update"
        " --disable-sync --hide-scrollbars --virtual-time-budget=5000"
        " --user-data-dir=" + profile + " " + what + " '" + url + "' >" + out +
        " 2>" + (dir_ / "chromium.err").string() + " </dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0)
        << Slurp((dir_ / "chromium.err").string());
    return Slurp(out);
  }

  static size_t Count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos;
         at = text.find(what, at + 1)) {
      ++n;
    }
    return n;
  }
};

TEST_F(ReportTest, ThePageRendersInChromiumWithEveryGroupAndPlace) {
  const std::string page = (dir_ / "plan.html").string();
  ASSERT_EQ(Run("decide --id bratislava --with cali --kind accepted --who "
                "'Ana Ruiz' --why 'agreed at the kick-off' --db " + Store())
                .exit_code,
            0);
  CliResult made = Run("report --out " + page + " --db " + Store());
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_THAT(made.out, HasSubstr("wrote " + page + ": 29 places"));
  EXPECT_EQ(made.err, "");  // no progress bar: stdout is not a terminal

  // The same plan as `plan` computes it.
  CliResult json = Run("plan --json --db " + Store());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  v1::ProposePairingsResponse plan;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &plan).ok());
  std::set<std::string> places;
  for (const v1::PlannedGroup& g : plan.groups()) {
    places.insert(g.member_ids().begin(), g.member_ids().end());
  }
  for (const v1::UnmatchedMember& u : plan.unmatched()) places.insert(u.profile_id());
  ASSERT_EQ(places.size(), 29u);

  // Self-contained: nothing is fetched from anywhere.
  const std::string html = Slurp(page);
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_EQ(Count(html, "http://"), Count(html, "http://www.w3.org/2000/svg"));

  const std::string url = "file://" + page;
  const std::string dom = Chromium(url, "--dump-dom");
  EXPECT_THAT(dom, HasSubstr("<body data-ready=\"yes\">"));  // the script ran
  // The plan table: one row per group.
  const size_t table = dom.find("<table id=\"plan-table\"");
  ASSERT_NE(table, std::string::npos);
  const std::string plan_table =
      dom.substr(table, dom.find("</table>", table) - table);
  EXPECT_EQ(Count(plan_table, "<tr class=\"group filterable"),
            static_cast<size_t>(plan.groups_size()));
  EXPECT_EQ(Count(dom, "<tr class=\"group filterable weak"),
            static_cast<size_t>(std::count_if(
                plan.groups().begin(), plan.groups().end(),
                [](const v1::PlannedGroup& g) { return g.weak(); })));
  // Every place: its article, its row in the heat map, its node in the SVG.
  EXPECT_EQ(Count(dom, "<g class=\"node\""), places.size());
  for (const std::string& id : places) {
    EXPECT_THAT(dom, HasSubstr("id=\"place-" + id + "\"")) << id;
    EXPECT_THAT(dom, HasSubstr("<g class=\"node\" data-id=\"" + id + "\"")) << id;
  }
  EXPECT_EQ(Count(dom, "<mark>") > 29, true);  // highlighted evidence
  EXPECT_EQ(Count(dom, "class=\"edge planned\""),
            static_cast<size_t>(std::count_if(
                plan.groups().begin(), plan.groups().end(),
                [](const v1::PlannedGroup& g) { return g.pairs_size(); })));
  EXPECT_EQ(Count(dom, "filterable hidden"), 0u);  // no filter: all shown
  // The decision, with who and when.
  const size_t decisions = dom.find("<table id=\"decisions-table\"");
  ASSERT_NE(decisions, std::string::npos);
  const std::string log = dom.substr(decisions, dom.find("</table>", decisions) - decisions);
  EXPECT_THAT(log, HasSubstr("Ana Ruiz"));
  EXPECT_THAT(log, HasSubstr("agreed at the kick-off"));
  EXPECT_TRUE(std::regex_search(log, std::regex("<td>20[0-9-]+T[0-9:]+")));

  // A filter preset in the address: only the Spanish places stay.
  const std::string spain = Chromium(url + "?country=ES", "--dump-dom");
  const std::regex article("<article class=\"place filterable( hidden)?\" "
                           "id=\"place-[^\"]+\" data-id=\"[^\"]+\" "
                           "data-countries=\"([A-Z]+)\"");
  size_t shown = 0, hidden = 0;
  for (std::sregex_iterator it(spain.begin(), spain.end(), article), end;
       it != end; ++it) {
    const bool is_hidden = (*it)[1].matched;
    EXPECT_EQ(is_hidden, (*it)[2].str() != "ES") << it->str();
    (is_hidden ? hidden : shown)++;
  }
  EXPECT_EQ(shown + hidden, 29u);
  EXPECT_GE(shown, 2u);
  EXPECT_THAT(spain, HasSubstr(std::to_string(shown) + " of 29 places"));
  EXPECT_GT(Count(spain, "<g class=\"node dim\""), 0u);

  // The screenshot, for a person to look at.
  const std::string screenshot = std::string(PM_TEST_OUTPUT_DIR) + "/report_screenshot.png";
  std::filesystem::remove(screenshot);
  Chromium(url, "--window-size=1400,6800 --screenshot=" + screenshot);
  const std::string png = Slurp(screenshot);
  ASSERT_GT(png.size(), 50000u) << screenshot;
  EXPECT_EQ(png.substr(1, 3), "PNG");
  std::cout << "screenshot: " << screenshot << "\n";
}

TEST_F(ReportTest, AnUnknownIdIsRefusedAndNoPageWritten) {
  const std::string page = (dir_ / "plan.html").string();
  CliResult r = Run("report --ids almeria,nowhere --out " + page + " --db " + Store());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("nowhere"));
  EXPECT_FALSE(std::filesystem::exists(page));
  EXPECT_EQ(Run("report --db " + Store()).exit_code, 2);  // --out is required
}

}  // namespace
