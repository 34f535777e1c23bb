// Runs the real partner-match binary (PM_CLI_BINARY) on temporary stores.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>
#include <string>

#include "partnermatch/v1/partner_match.pb.h"
#include "tests/service/cli_fixture.h"

namespace {

namespace v1 = partnermatch::v1;
using ::testing::HasSubstr;
using ::testing::Not;

using Result = pm::testing::CliResult;
using CliTest = pm::testing::CliFixture;

// Codes of the EU members in data/countries.tsv.
std::set<std::string> EuCountries() {
  std::ifstream in(std::string(PM_SOURCE_DIR) + "/data/countries.tsv");
  std::set<std::string> eu;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream row(line);
    for (std::string col; std::getline(row, col, '\t');) cols.push_back(col);
    if (cols.size() >= 4 && cols[3] == "true") eu.insert(cols[0]);
  }
  return eu;
}

// The text of the bundled profile `id`.
std::string BundledText(const std::string& id) {
  std::ifstream in(std::string(PM_SOURCE_DIR) + "/data/profiles.jsonl");
  for (std::string line; std::getline(in, line);) {
    v1::Profile p;
    if (google::protobuf::util::JsonStringToMessage(line, &p).ok() &&
        p.id() == id) {
      return p.text();
    }
  }
  return "";
}

// id -> country of every profile in data/profiles.jsonl.
std::map<std::string, std::string> BundledCountries() {
  std::ifstream in(std::string(PM_SOURCE_DIR) + "/data/profiles.jsonl");
  std::map<std::string, std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    v1::Profile p;
    if (google::protobuf::util::JsonStringToMessage(line, &p).ok()) {
      out[p.id()] = p.country();
    }
  }
  return out;
}

TEST_F(CliTest, EverySubcommandHasHelp) {
  for (const char* cmd :
       {"serve", "init", "import", "themes", "suggest", "explain", "decide",
        "decisions", "plan", "clusters", "exposure", "taxonomy"}) {
    Result r = Run(std::string(cmd) + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_THAT(r.out, HasSubstr("Usage")) << cmd;
  }
}

TEST_F(CliTest, SuggestForBratislavaListsOnlyPartnerCountryPlacesWithReasons) {
  Result r = Run("suggest --id bratislava --k 5 --json --db " + Store());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  v1::SuggestPartnersResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &response).ok())
      << r.out;
  EXPECT_EQ(response.profile_id(), "bratislava");
  ASSERT_EQ(response.suggestions_size(), 5);
  // Each partner's country, read from the bundled files themselves.
  const std::set<std::string> eu = EuCountries();
  ASSERT_EQ(eu.size(), 27u);
  const std::map<std::string, std::string> country = BundledCountries();
  for (const v1::Suggestion& s : response.suggestions()) {
    ASSERT_EQ(country.count(s.partner_id()), 1u) << s.partner_id();
    EXPECT_EQ(eu.count(country.at(s.partner_id())), 0u)
        << s.partner_id() << " is in the EU";
    EXPECT_NE(country.at(s.partner_id()), "SK");
    ASSERT_FALSE(s.reasons().empty()) << s.partner_id();
    bool quotes_both = false;
    for (const v1::Reason& reason : s.reasons()) {
      quotes_both |= !reason.self_evidence().empty() &&
                     !reason.partner_evidence().empty();
    }
    EXPECT_TRUE(quotes_both) << s.partner_id();
  }
  // The same in a table.
  Result table = Run("--db " + Store() + " suggest --id bratislava --k 3");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("Partners for Bratislava"));
  EXPECT_THAT(table.out, HasSubstr("Bratislava: \""));
}

TEST_F(CliTest, ThemesJsonHasTheDocumentedShape) {
  Result r = Run("themes --id almeria --json --db " + Store());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  v1::ThemesReport report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &report).ok());
  ASSERT_EQ(report.profiles_size(), 1);
  EXPECT_EQ(report.profiles(0).id(), "almeria");
  bool water_offered = false;
  for (const v1::ThemeInterest& t : report.profiles(0).themes()) {
    if (t.theme() == "water") {
      water_offered = t.role() == "offer" || t.role() == "both";
      ASSERT_FALSE(t.evidence().empty());
      EXPECT_THAT(t.evidence(0).sentence(), HasSubstr("water efficiency"));
      // Characters lag bytes by the multi-byte sequences before the span.
      const std::string text = BundledText("almeria");
      size_t chars = 0;
      for (size_t i = 0; i < t.evidence(0).begin(); ++i) {
        chars += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
      }
      EXPECT_LT(chars, t.evidence(0).begin());
      EXPECT_EQ(t.evidence(0).char_begin(), chars);
      EXPECT_EQ(t.evidence(0).char_end() - t.evidence(0).char_begin(),
                t.evidence(0).text().size());  // "water efficiency": ASCII
    }
  }
  EXPECT_TRUE(water_offered) << r.out;
  EXPECT_THAT(r.out, HasSubstr("\"evidence\""));
  EXPECT_THAT(r.out, HasSubstr("\"weight\""));
}

TEST_F(CliTest, BadFileIsRefusedByLineAndFieldAndChangesNothing) {
  ASSERT_EQ(Run("init --db " + db_).exit_code, 0);
  const std::string good =
      R"({"id":"new-place","name":"New","kind":"city","country":"FR","text":"New has experience in recycling."})";
  const std::string bad =
      R"({"id":"bad","name":"Bad","kind":"city","country":"XX","text":"Bad."})";
  const std::string file = WriteFile("bad.jsonl", good + "\n" + bad + "\n");
  Result r = Run("import --db " + db_ + " " + file);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(file + ":2:"));
  EXPECT_THAT(r.err, HasSubstr("country"));
  EXPECT_THAT(r.err, HasSubstr("XX"));
  Result lookup = Run("themes --id new-place --db " + db_);
  EXPECT_EQ(lookup.exit_code, 1);
  EXPECT_THAT(lookup.err, HasSubstr("no profile with id 'new-place'"));

  const std::string invalid_utf8 = WriteFile(
      "utf8.jsonl",
      "{\"id\":\"u\",\"name\":\"U\",\"kind\":\"city\",\"country\":\"FR\","
      "\"text\":\"bad \xff byte\"}\n");
  Result u = Run("import --db " + db_ + " " + invalid_utf8);
  EXPECT_EQ(u.exit_code, 1);
  EXPECT_THAT(u.err, HasSubstr(invalid_utf8 + ":1:"));
  EXPECT_THAT(u.err, HasSubstr("UTF-8"));
}

TEST_F(CliTest, ProfilesFileReplacesTheStore) {
  const std::string file = WriteFile(
      "cohort.jsonl",
      R"({"id":"a","name":"A","kind":"city","country":"ES","text":"A has experience in water efficiency."})"
      "\n"
      R"({"id":"b","name":"B","kind":"city","country":"CO","text":"B is interested in water efficiency."})"
      "\n");
  Result r = Run("suggest --id a --profiles " + file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("B (b"));
  EXPECT_FALSE(std::filesystem::exists(db_));
}

TEST_F(CliTest, ACutQuoteKeepsTheHighlightedWords) {
  // The shared words stand at the end of a sentence far longer than a quote.
  const std::string file = WriteFile(
      "long.jsonl",
      R"({"id":"a","name":"A","kind":"city","country":"ES","text":"A is a )"
      R"(harbour town of fishermen, boat builders, net makers, salt workers, )"
      R"(ferry crews, lighthouse keepers, chandlers, sail makers, rope )"
      R"(walkers, coopers, caulkers and painters that over two centuries )"
      R"(filled its old quays, warehouses and squares with sculpture parks."})"
      "\n"
      R"({"id":"b","name":"B","kind":"city","country":"CO","text":"B wants )"
      R"(sculpture parks."})"
      "\n");
  Result r = Run("suggest --id a --profiles " + file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("[sculpture parks]"));
  EXPECT_THAT(r.out, HasSubstr("\"…"));  // cut at the front, not the end
}

TEST_F(CliTest, UnknownIdsAndExcludedPairsAreExplained) {
  Result unknown = Run("suggest --id atlantis --db " + Store());
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("no profile with id 'atlantis'"));
  Result excluded = Run("explain --id almeria --with bari --db " + Store());
  ASSERT_EQ(excluded.exit_code, 0) << excluded.err;
  EXPECT_THAT(excluded.out, HasSubstr("not eligible: both are EU members"));
  Result json = Run("explain --id almeria --with cali --json --db " + Store());
  ASSERT_EQ(json.exit_code, 0);
  v1::ExplainMatchResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &response).ok());
  EXPECT_TRUE(response.eligible());
  EXPECT_GT(response.breakdown().score(), 0);
}

TEST_F(CliTest, DecisionsAreRecordedListedAndRespected) {
  Result decided = Run("decide --id bratislava --with cali --kind declined "
                       "--who Ana --why 'no common budget' --db " + Store());
  ASSERT_EQ(decided.exit_code, 0) << decided.err;
  EXPECT_THAT(decided.out, HasSubstr("recorded decision 1: declined"));
  Result listed = Run("decisions --id cali --db " + Store());
  ASSERT_EQ(listed.exit_code, 0);
  EXPECT_THAT(listed.out, HasSubstr("bratislava — cali  by Ana: no common budget"));
  Result suggested = Run("suggest --id bratislava --k 50 --json --db " + Store());
  ASSERT_EQ(suggested.exit_code, 0);
  EXPECT_THAT(suggested.out, Not(HasSubstr("\"partner_id\": \"cali\"")));
  Result bad = Run("decide --id bratislava --with cali --kind maybe --who Ana "
                   "--db " + Store());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("--kind must be accepted, declined or existing"));
  // Two EU members can never be partners: accepting them is refused.
  Result excluded = Run("decide --id almeria --with bari --kind accepted "
                        "--who Ana --db " + db_);
  EXPECT_EQ(excluded.exit_code, 1);
  EXPECT_THAT(excluded.err, HasSubstr("cannot record 'almeria' and 'bari' as "
                                      "accepted: both are EU members"));
}

TEST_F(CliTest, PlanPairsTheBundledCohortByTheRules) {
  Result r = Run("plan --json --fix bratislava:cali --forbid almeria:piura "
                 "--db " + Store());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  v1::ProposePairingsResponse plan;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &plan).ok());
  const std::set<std::string> eu = EuCountries();
  const std::map<std::string, std::string> country = BundledCountries();
  std::set<std::string> placed;
  bool fixed_found = false;
  for (const v1::PlannedGroup& g : plan.groups()) {
    ASSERT_EQ(g.kind(), "pair");  // no --trios
    ASSERT_EQ(g.member_ids_size(), 2);
    const std::string& a = g.member_ids(0);
    const std::string& b = g.member_ids(1);
    EXPECT_NE(eu.count(country.at(a)), eu.count(country.at(b))) << a << " " << b;
    EXPECT_TRUE(placed.insert(a).second) << a;
    EXPECT_TRUE(placed.insert(b).second) << b;
    fixed_found |= g.fixed() && std::set<std::string>{a, b} ==
                                    std::set<std::string>{"bratislava", "cali"};
    EXPECT_NE(std::set<std::string>({a, b}),
              std::set<std::string>({"almeria", "piura"}));
  }
  EXPECT_TRUE(fixed_found);
  for (const v1::UnmatchedMember& u : plan.unmatched()) {
    EXPECT_FALSE(u.reason().empty()) << u.profile_id();
    EXPECT_THAT(u.cause(), ::testing::AnyOf("no_eligible_partner",
                                            "below_min_score",
                                            "partners_taken"));
    EXPECT_TRUE(placed.insert(u.profile_id()).second);
  }
  EXPECT_EQ(placed.size(), 29u);  // everyone placed or explained, once
  EXPECT_THAT(plan.dot(), HasSubstr("graph"));
  EXPECT_DOUBLE_EQ(plan.total_score(), plan.pairs_only_score());

  Result trios = Run("plan --json --trios --db " + Store());
  ASSERT_EQ(trios.exit_code, 0) << trios.err;
  v1::ProposePairingsResponse with_trios;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(trios.out, &with_trios).ok());
  EXPECT_GE(with_trios.total_score(), with_trios.pairs_only_score());
  EXPECT_GT(with_trios.min_trio_gain(), 0);

  Result bad = Run("plan --fix bratislava:dublin --db " + Store());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("bratislava"));
}

TEST_F(CliTest, ClustersAndExposureRun) {
  Result clusters = Run("clusters --kind city --db " + Store());
  ASSERT_EQ(clusters.exit_code, 0) << clusters.err;
  EXPECT_THAT(clusters.out, HasSubstr("clusters of 20 places"));
  Result exposure = Run("exposure --db " + Store());
  ASSERT_EQ(exposure.exit_code, 0) << exposure.err;
  EXPECT_THAT(exposure.out, HasSubstr("top 5 (exact over 29 lists)"));
}

TEST_F(CliTest, InitRefusesToOverwriteAStore) {
  ASSERT_EQ(Run("init --db " + db_).exit_code, 0);
  Result again = Run("init --db " + db_);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("already exists"));
}

}  // namespace
