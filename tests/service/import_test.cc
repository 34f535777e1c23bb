// `partner-match import`: the programme's page imports whole, and importing
// never loses or duplicates what a coordinator curated. Runs the real binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "tests/service/cli_fixture.h"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using Result = pm::testing::CliResult;

class ImportTest : public pm::testing::CliFixture {
 protected:
  static std::string SeedPage() {
    return std::string(PM_TEST_DATA_DIR) + "/seed_page.txt";
  }
  // The store's profiles as `themes` describes them: id -> "kind · country".
  std::map<std::string, std::string> Stored() {
    Result r = Run("themes --db " + db_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, std::string> out;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      const size_t open = line.rfind(" (");
      if (line.empty() || line[0] == ' ' || open == std::string::npos) continue;
      const std::string inside = line.substr(open + 2);
      const size_t dot = inside.find(" · ");
      const size_t rest = inside.find(" · ", dot + 1);
      const size_t last = inside.find(" · ", rest + 1);
      out[inside.substr(0, dot)] =
          inside.substr(dot + 4, last - dot - 4);  // "kind · CC"
    }
    return out;
  }
};

TEST_F(ImportTest, TheWholePageImportsIntoAnEmptyStoreAsCurated) {
  ASSERT_EQ(Run("init --empty --db " + db_).exit_code, 0);
  Result r = Run("import --db " + db_ + " " + SeedPage());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("imported 29 profiles (29 new, 0 updated, 0 "
                               "unchanged)"));
  EXPECT_THAT(r.out, HasSubstr("the store holds 29"));
  EXPECT_THAT(r.err, HasSubstr("warning: " + SeedPage() +
                               ":23: 'Barcelona': country ES inferred from "
                               "'Barcelona'"));
  EXPECT_THAT(r.err, Not(HasSubstr("have no country")));
  // The kinds and countries of data/profiles.jsonl, from a store made from it.
  pm::testing::CliResult init_bundled = Run("init --db " + db_ + ".curated");
  ASSERT_EQ(init_bundled.exit_code, 0) << init_bundled.err;
  const std::map<std::string, std::string> imported = Stored();
  db_ += ".curated";
  const std::map<std::string, std::string> curated = Stored();
  EXPECT_EQ(imported, curated);
  EXPECT_EQ(curated.at("colima"), "region · MX");
  EXPECT_EQ(curated.at("mendoza"), "region · AR");
}

TEST_F(ImportTest, ThePageAgainIntoTheBundledStoreChangesNothing) {
  ASSERT_EQ(Run("init --db " + db_).exit_code, 0);
  const std::map<std::string, std::string> before = Stored();
  Result r = Run("import --db " + db_ + " " + SeedPage());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("(0 new, 0 updated, 29 unchanged)"));
  EXPECT_THAT(r.out, HasSubstr("the store holds 29"));
  // Busan is recognised by id and not duplicated; its curated name stays.
  EXPECT_THAT(r.out, HasSubstr("unchanged busan (Busan): kept the store's "
                               "name 'Busan' (the page writes 'Busan "
                               "Metropolitan City')"));
  EXPECT_EQ(Stored(), before);
  EXPECT_EQ(before.at("colima"), "region · MX");
}

TEST_F(ImportTest, AnInferredFieldNeverOverwritesACuratedOne) {
  ASSERT_EQ(Run("init --db " + db_).exit_code, 0);
  // A coordinator curates Mendoza as the city.
  const std::string curated = WriteFile(
      "mendoza.jsonl",
      R"({"id":"mendoza","name":"Mendoza","kind":"city","country":"AR",)"
      R"("text":"Mendoza is a city."})"
      "\n");
  ASSERT_EQ(Run("import --db " + db_ + " " + curated).exit_code, 0);
  Result r = Run("import --db " + db_ + " " + SeedPage());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("changed   mendoza (Mendoza): text; kept the "
                               "store's kind city (the page's region was "
                               "inferred)"));
  EXPECT_THAT(r.out, HasSubstr("(0 new, 1 updated, 28 unchanged)"));
  EXPECT_EQ(Stored().at("mendoza"), "city · AR");
}

TEST_F(ImportTest, APlaceIsRecognisedByNameAndCountryUnderAnotherId) {
  ASSERT_EQ(Run("init --db " + db_).exit_code, 0);
  const std::string file = WriteFile(
      "busan.jsonl",
      R"({"id":"busan-city","name":"Busan","kind":"city","country":"KR",)"
      R"("text":"Busan is a port city."})"
      "\n");
  Result r = Run("import --db " + db_ + " " + file);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("matched 'Busan' (KR) by name and country: its "
                               "id 'busan' kept, not 'busan-city'"));
  EXPECT_THAT(r.out, HasSubstr("the store holds 29"));
  EXPECT_EQ(Stored().count("busan-city"), 0u);
}

TEST_F(ImportTest, ADryRunShowsWhatWouldHappenAndWritesNothing) {
  ASSERT_EQ(Run("init --empty --db " + db_).exit_code, 0);
  Result r = Run("import --dry-run --db " + db_ + " " + SeedPage());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  added     almeria (Almería)"));
  EXPECT_THAT(r.out, HasSubstr("dry run: would add 29, change 0 and leave 0 "
                               "unchanged"));
  EXPECT_THAT(r.out, HasSubstr("nothing was written"));
  EXPECT_TRUE(Stored().empty());
  // Nor does a dry run create a store.
  const std::string absent = (dir_ / "absent.db").string();
  Result none = Run("import --dry-run --db " + absent + " " + SeedPage());
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_FALSE(std::filesystem::exists(absent));
}

TEST_F(ImportTest, AMistypedDbPathIsRefusedNotCreated) {
  const std::string absent = (dir_ / "typo.db").string();
  Result r = Run("import --db " + absent + " " + SeedPage());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no store at '" + absent + "'"));
  EXPECT_THAT(r.err, HasSubstr("init"));
  EXPECT_FALSE(std::filesystem::exists(absent));
}

TEST_F(ImportTest, DraftsCarryEveryFieldAndImportOnceCompleted) {
  ASSERT_EQ(Run("init --empty --db " + db_).exit_code, 0);
  const std::string page = WriteFile(
      "page.txt",
      "Xanadu is a pleasure dome by the sacred river Alph.\n\n"
      "Discover what we did in IUC\n\n"
      "Lugo is a city in Spain.\n");
  const std::string drafts = (dir_ / "drafts.jsonl").string();
  Result r = Run("import --db " + db_ + " --drafts " + drafts + " " + page);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("1 cards have no country"));
  const std::string draft = Slurp(drafts);
  EXPECT_THAT(draft, HasSubstr(R"("id":"xanadu")"));
  EXPECT_THAT(draft, HasSubstr(R"("country":"")"));
  EXPECT_THAT(draft, HasSubstr(R"("kind":"city")"));
  // As written, the draft is refused for its empty country.
  Result refused = Run("import --db " + db_ + " " + drafts);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr(drafts + ":1: missing field 'country'"));
  // A coordinator fills in the country; then it imports.
  std::string completed = draft;
  completed.replace(completed.find(R"("country":"")"), 12,
                    R"("country":"CN")");
  Result ok = Run("import --db " + db_ + " " +
                  WriteFile("done.jsonl", completed));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("the store holds 2"));
}

// Issue 11, finding 7: the second file's line is named, and the first's.
TEST_F(ImportTest, ADuplicateIdAcrossTwoFilesNamesBothFilesAndLines) {
  ASSERT_EQ(Run("init --empty --db " + db_).exit_code, 0);
  const std::string line =
      R"({"id": "lugo", "name": "Lugo", "kind": "city", "country": "ES", )"
      R"("text": "Lugo is looking to learn about water efficiency."})";
  const std::string a = WriteFile("a.jsonl", line + "\n");
  const std::string b = WriteFile(
      "b.jsonl", "\n" + std::string(R"({"id": "toyama", "name": "Toyama", )"
                                    R"("kind": "city", "country": "JP", )"
                                    R"("text": "Toyama is a compact city."})") +
                     "\n" + line + "\n");
  Result r = Run("import --db " + db_ + " " + a + " " + b);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(b + ":3: field 'id': duplicate id 'lugo' (first in " +
                               a + ":1)"));
}

}  // namespace
