// plan --csv, suggest --csv and themes --csv on the real binary, read back
// with Python's csv module (a real CSV reader) and compared with the same
// commands' --json.
#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "partnermatch/v1/partner_match.pb.h"
#include "tests/service/cli_fixture.h"

namespace {

using pm::testing::CliResult;

namespace v1 = partnermatch::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

using Table = std::vector<std::vector<std::string>>;

class CsvTest : public pm::testing::CliFixture {
 protected:
  // The file as Python's csv module reads it: header first.
  Table ReadCsv(const std::string& path) {
    const std::string json_path = (dir_ / "csv.json").string();
    const std::string command = "python3 " PM_TEST_DATA_DIR "/read_csv.py " +
                                path + " >" + json_path;
    EXPECT_EQ(std::system(command.c_str()), 0) << path;
    google::protobuf::Struct parsed;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(Slurp(json_path), &parsed).ok());
    EXPECT_TRUE(parsed.fields().at("crlf").bool_value());
    Table table;
    const auto row = [](const google::protobuf::ListValue& list) {
      std::vector<std::string> out;
      for (const auto& v : list.values()) out.push_back(v.string_value());
      return out;
    };
    table.push_back(row(parsed.fields().at("header").list_value()));
    for (const auto& r : parsed.fields().at("rows").list_value().values()) {
      table.push_back(row(r.list_value()));
    }
    return table;
  }

  template <typename Message>
  Message Json(const std::string& args) {
    CliResult r = Run(args + " --json --db " + Store());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Message m;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &m).ok()) << r.out;
    return m;
  }
};

TEST_F(CsvTest, PlanOneRowPerGroupThenTheUnmatched) {
  const std::string path = (dir_ / "plan.csv").string();
  CliResult r = Run("plan --csv " + path + " --db " + Store());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Plan for 29 places"));  // printed all the same
  const auto plan = Json<v1::ProposePairingsResponse>("plan");
  const Table t = ReadCsv(path);
  EXPECT_THAT(t[0], ElementsAre("group", "kind", "member_ids", "members",
                                "countries", "score", "weak", "fixed",
                                "reasons", "evidence"));
  ASSERT_EQ(t.size(), 1u + plan.groups_size() + plan.unmatched_size());
  for (int i = 0; i < plan.groups_size(); ++i) {
    const v1::PlannedGroup& g = plan.groups(i);
    const std::vector<std::string>& row = t[1 + i];
    ASSERT_EQ(row.size(), t[0].size());
    EXPECT_EQ(row[0], std::to_string(i + 1));
    EXPECT_EQ(row[1], g.kind());
    EXPECT_EQ(row[2], g.member_ids(0) + " + " + g.member_ids(1));
    EXPECT_EQ(row[5], absl::StrFormat("%.3f", g.score()));
    EXPECT_EQ(row[6], g.weak() ? "yes" : "no");
    if (!g.pairs(0).reasons().empty()) {
      EXPECT_THAT(row[8], HasSubstr(g.pairs(0).reasons(0).summary()));
    }
  }
  // Multi-line cells with commas and quotes come back whole.
  bool multiline = false;
  for (size_t i = 1; i < t.size(); ++i) {
    multiline |= t[i][9].find('\n') != std::string::npos &&
                 t[i][9].find('"') != std::string::npos;
  }
  EXPECT_TRUE(multiline);
  const std::vector<std::string>& last = t.back();
  EXPECT_EQ(last[1], "unmatched");
  EXPECT_EQ(last[2], plan.unmatched(plan.unmatched_size() - 1).profile_id());
  EXPECT_EQ(last[8], plan.unmatched(plan.unmatched_size() - 1).reason());
}

TEST_F(CsvTest, SuggestForTheWholeCohortOneRowPerPlaceAndSuggestion) {
  const std::string path = (dir_ / "suggest.csv").string();
  CliResult r = Run("suggest --k 3 --csv " + path + " --db " + Store());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Table t = ReadCsv(path);
  EXPECT_THAT(t[0], ElementsAre("place_id", "place", "rank", "partner_id",
                                "partner", "partner_country", "score", "weak",
                                "reasons", "evidence", "penalties",
                                "shared_terms"));
  EXPECT_EQ(t.size(), 1u + 29 * 3);
  EXPECT_THAT(r.out, HasSubstr("wrote 87 suggestions for 29 places"));
  // Bratislava's rows are its own suggestions, in order.
  const auto own = Json<v1::SuggestPartnersResponse>("suggest --k 3 --id bratislava");
  std::vector<std::string> partners;
  for (const auto& row : t) {
    if (row[0] == "bratislava") partners.push_back(row[3]);
  }
  ASSERT_EQ(partners.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(partners[i], own.suggestions(i).partner_id());

  // One place with --id; no --id and no --csv is a usage error.
  ASSERT_EQ(Run("suggest --id cali --k 2 --csv " + path + " --db " + Store()).exit_code, 0);
  EXPECT_EQ(ReadCsv(path).size(), 3u);
  CliResult usage = Run("suggest --db " + Store());
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.err, HasSubstr("--id"));
}

TEST_F(CsvTest, ThemesOneRowPerPlaceAndTheme) {
  const std::string path = (dir_ / "themes.csv").string();
  ASSERT_EQ(Run("themes --csv " + path + " --db " + Store()).exit_code, 0);
  const auto report = Json<v1::ThemesReport>("themes");
  const Table t = ReadCsv(path);
  EXPECT_THAT(t[0], ElementsAre("place_id", "place", "country", "theme", "label",
                                "role", "weight", "matched", "evidence"));
  size_t themes = 0;
  for (const v1::ProfileThemes& p : report.profiles()) themes += p.themes_size();
  ASSERT_EQ(t.size(), 1 + themes);
  size_t row = 1;
  for (const v1::ProfileThemes& p : report.profiles()) {
    for (const v1::ThemeInterest& theme : p.themes()) {
      EXPECT_EQ(t[row][0], p.id());
      EXPECT_EQ(t[row][1], p.name());  // UTF-8 names (Almería) intact
      EXPECT_EQ(t[row][3], theme.theme());
      EXPECT_EQ(t[row][5], theme.role());
      EXPECT_THAT(t[row][8], HasSubstr(theme.evidence(0).sentence()));
      ++row;
    }
  }
  CliResult bad = Run("themes --csv " + (dir_ / "no" / "t.csv").string() + " --db " + Store());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_THAT(bad.err, HasSubstr("cannot write"));
}

}  // namespace
