// Regression tests on the bundled seed profiles (data/profiles.jsonl) with
// the bundled taxonomy: the full theme and role sets of a handful of
// profiles, asserted exactly, and the evidence of every claimed theme.
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/extraction/theme_extractor.h"
#include "engine/geo/gazetteer.h"
#include "engine/io/profile_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

using ::testing::ContainerEq;
using ::testing::IsEmpty;

class SeedThemesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string path = std::string(PM_SOURCE_DIR) + "/data/profiles.jsonl";
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    auto parsed = ParseProfilesJsonl(content.str(), path, Gazetteer::Bundled());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    profiles_ = new std::vector<Profile>(*std::move(parsed));
    extractor_ = new ThemeExtractor(std::shared_ptr<const Taxonomy>(
        &Taxonomy::Bundled(), [](const Taxonomy*) {}));
  }
  static void TearDownTestSuite() {
    delete extractor_;
    delete profiles_;
  }

  static const Profile& ProfileOf(const std::string& id) {
    for (const Profile& p : *profiles_) {
      if (p.id == id) return p;
    }
    ADD_FAILURE() << "no seed profile " << id;
    return profiles_->front();
  }

  // theme id -> role name of the profile's extraction.
  static std::map<std::string, std::string> Themes(const std::string& id) {
    std::map<std::string, std::string> out;
    for (const ThemeInterest& t : extractor_->Extract(ProfileOf(id).text).themes) {
      out[extractor_->taxonomy().themes()[t.theme].id] = RoleName(t.role);
    }
    return out;
  }

  static std::vector<Profile>* profiles_;
  static ThemeExtractor* extractor_;
};

std::vector<Profile>* SeedThemesTest::profiles_ = nullptr;
ThemeExtractor* SeedThemesTest::extractor_ = nullptr;

using Expected = std::map<std::string, std::string>;

// Each expectation equals the hand labels of the profile in
// benchmarks/data/theme_labels.jsonl.
TEST_F(SeedThemesTest, Almeria) {
  EXPECT_THAT(Themes("almeria"),
              ContainerEq(Expected{{"water", "offer"},
                                   {"circular_economy", "seek"},
                                   {"nature_based_solutions", "seek"},
                                   {"sustainable_tourism", "context"},
                                   {"food_agriculture", "context"}}));
}

TEST_F(SeedThemesTest, AnciLazioIgnoresTheSentenceAboutRome) {
  EXPECT_THAT(Themes("anci-lazio"),
              ContainerEq(Expected{{"social_inclusion", "seek"},
                                   {"food_agriculture", "seek"}}));
}

TEST_F(SeedThemesTest, Ancona) {
  EXPECT_THAT(Themes("ancona"),
              ContainerEq(Expected{{"ports_maritime", "seek"},
                                   {"culture_heritage", "seek"},
                                   {"sustainable_tourism", "seek"},
                                   {"urban_regeneration", "seek"}}));
}

TEST_F(SeedThemesTest, BeloHorizonte) {
  EXPECT_THAT(Themes("belo-horizonte"),
              ContainerEq(Expected{{"health_wellbeing", "context"},
                                   {"urban_planning", "offer"},
                                   {"social_inclusion", "both"},
                                   {"housing", "both"},
                                   {"urban_resilience", "both"},
                                   {"digital_transition", "seek"},
                                   {"food_agriculture", "seek"}}));
}

TEST_F(SeedThemesTest, BratislavaCooperatingWithTokorozawaSeeks) {
  EXPECT_THAT(Themes("bratislava"),
              ContainerEq(Expected{{"urban_planning", "both"},
                                   {"climate_adaptation", "offer"},
                                   {"culture_heritage", "context"},
                                   {"urban_resilience", "context"},
                                   {"nature_based_solutions", "seek"}}));
}

TEST_F(SeedThemesTest, Busan) {
  EXPECT_THAT(Themes("busan"),
              ContainerEq(Expected{{"ports_maritime", "context"},
                                   {"sustainable_tourism", "offer"},
                                   {"culture_heritage", "offer"},
                                   {"digital_transition", "offer"},
                                   {"urban_mobility", "offer"}}));
}

TEST_F(SeedThemesTest, Cali) {
  EXPECT_THAT(Themes("cali"),
              ContainerEq(Expected{{"ports_maritime", "context"},
                                   {"food_agriculture", "context"},
                                   {"housing", "seek"},
                                   {"urban_mobility", "seek"},
                                   {"urban_planning", "both"},
                                   {"climate_adaptation", "offer"}}));
}

TEST_F(SeedThemesTest, CastillaYLeon) {
  EXPECT_THAT(Themes("castilla-y-leon"),
              ContainerEq(Expected{{"food_agriculture", "context"},
                                   {"regional_innovation", "seek"},
                                   {"energy_transition", "seek"},
                                   {"digital_transition", "seek"}}));
}

TEST_F(SeedThemesTest, DonostiaSharesAnInterestWithLugoAndToyama) {
  EXPECT_THAT(Themes("donostia-san-sebastian"),
              ContainerEq(Expected{{"sustainable_tourism", "context"},
                                   {"culture_heritage", "offer"},
                                   {"climate_adaptation", "both"},
                                   {"energy_transition", "both"},
                                   {"circular_economy", "offer"},
                                   {"urban_resilience", "seek"},
                                   {"urban_planning", "seek"}}));
}

TEST_F(SeedThemesTest, ProfilesWithoutAStatedThemeClaimNone) {
  EXPECT_THAT(Themes("barcelona-metropolitan-area"), IsEmpty());
  EXPECT_THAT(Themes("colleferro-and-latina"), IsEmpty());
}

// Every theme claimed for a seed profile is shown with the sentence that
// proves it: a strong phrase inside its sentence, in the text.
TEST_F(SeedThemesTest, EveryClaimedThemeHasEvidenceInItsSentence) {
  for (const Profile& p : *profiles_) {
    for (const ThemeInterest& t : extractor_->Extract(p.text).themes) {
      const std::string& id = extractor_->taxonomy().themes()[t.theme].id;
      bool strong = false;
      for (const Evidence& e : t.evidence) {
        strong = strong || !e.weak;
        EXPECT_LE(e.sentence_begin, e.begin) << p.id << " " << id;
        EXPECT_LT(e.begin, e.end) << p.id << " " << id;
        EXPECT_LE(e.end, e.sentence_end) << p.id << " " << id;
        EXPECT_LE(e.sentence_end, p.text.size()) << p.id << " " << id;
      }
      EXPECT_TRUE(strong) << p.id << " " << id << " has only weak evidence";
      EXPECT_GT(t.weight, 0.0) << p.id << " " << id;
      EXPECT_LE(t.weight, 1.0) << p.id << " " << id;
    }
  }
}

}  // namespace
}  // namespace pm
