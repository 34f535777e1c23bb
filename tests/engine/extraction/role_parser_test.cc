// The role rules of RoleParser, each on short sentences written for it.
#include "engine/extraction/role_parser.h"

#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pm {
namespace {

constexpr char kTaxonomyJson[] = R"json({
  "themes": [{"id": "any", "phrases": ["x"]}],
  "offerCues": ["has experience in", "has experience", "its experience",
                "experience in",
                "boasts", "is known for", "renowned for", "works on",
                "working on", "has been implemented", "its programme",
                "can serve as a model", "pioneer", "expertise"],
  "seekCues": ["is interested in", "interested in", "interest in",
               "interests cover", "seeks to", "wants to learn", "wants to",
               "to improve", "will continue to", "is a further interest",
               "are further interests", "area of common interest", "targets",
               "challenges"]
})json";

class RoleParserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<Taxonomy> taxonomy =
        Taxonomy::ParseJson(kTaxonomyJson, "test taxonomy");
    ASSERT_TRUE(taxonomy.ok()) << taxonomy.status();
    parser_ = new RoleParser(*taxonomy);
  }
  static void TearDownTestSuite() {
    delete parser_;
    parser_ = nullptr;
  }

  // The role of the phrase `phrase` (its first occurrence at or after byte
  // `from`) in `text`.
  static SpanRole RoleIn(const std::string& text, const std::string& phrase,
                         std::string_view place_name = {}, size_t from = 0) {
    const AnalyzedText analyzed = TextAnalyzer::Analyze(text);
    const WordSequence w = CollectWords(text, analyzed);
    const size_t begin = text.find(phrase, from);
    EXPECT_NE(begin, std::string::npos) << phrase;
    PhraseSpan span{w.size(), w.size()};
    for (size_t i = 0; i < w.size(); ++i) {
      const Token& t = analyzed.tokens[w.token[i]];
      if (t.begin == begin) span.first = i;
      if (t.end == begin + phrase.size()) span.end = i + 1;
    }
    EXPECT_LT(span.first, span.end) << phrase << " is not a run of words";
    return parser_->Assign(w, {span}, place_name)[0];
  }
  static Role R(const std::string& text, const std::string& phrase) {
    const SpanRole r = RoleIn(text, phrase);
    EXPECT_TRUE(r.counts) << phrase << " in: " << text;
    return r.role;
  }
  static bool Counts(const std::string& text, const std::string& phrase,
                     std::string_view place_name = {}) {
    return RoleIn(text, phrase, place_name).counts;
  }

  static RoleParser* parser_;
};

RoleParser* RoleParserTest::parser_ = nullptr;

TEST_F(RoleParserTest, CueGovernsTheWholeListItIntroduces) {
  const std::string text =
      "The city is interested in circular economy, green spaces, and "
      "water reuse; climate plans and tourism.";
  for (const char* phrase : {"circular economy", "green spaces",
                             "water reuse", "climate plans", "tourism"}) {
    EXPECT_EQ(R(text, phrase), Role::kSeek) << phrase;
  }
}

TEST_F(RoleParserTest, WithoutCueAPhraseIsContext) {
  EXPECT_EQ(R("The economy is mainly built around tourism.", "tourism"),
            Role::kContext);
}

TEST_F(RoleParserTest, NextCueReplacesTheScopeAfterACoordinator) {
  const std::string text =
      "It boasts tourism and seeks to grow ports, and is interested in "
      "energy.";
  EXPECT_EQ(R(text, "tourism"), Role::kOffer);
  EXPECT_EQ(R(text, "ports"), Role::kSeek);
  EXPECT_EQ(R(text, "energy"), Role::kSeek);
}

TEST_F(RoleParserTest, CueInAnotherSentenceDoesNotApply) {
  EXPECT_EQ(R("It seeks to grow. Tourism drives the economy.", "Tourism"),
            Role::kContext);
}

TEST_F(RoleParserTest, CueAfterThePhraseDoesNotApplyAcrossAPredicate) {
  // No backward reach: the port is a fact, the cue states a strength.
  EXPECT_EQ(R("It is one of the busiest ports, renowned for tourism.", "ports"),
            Role::kContext);
  EXPECT_EQ(R("The city faced the pandemic and is known for culture.",
              "pandemic"),
            Role::kContext);
}

TEST_F(RoleParserTest, ComplementCueLeavesTheFirstToDecide) {
  EXPECT_EQ(R("The city is interested in working on tourism.", "tourism"),
            Role::kSeek);
  EXPECT_EQ(R("The city works on tourism.", "tourism"), Role::kOffer);
}

TEST_F(RoleParserTest, PurposeInsideAStatedScopeKeepsItsRole) {
  EXPECT_EQ(R("The plan has been implemented by the city to improve water "
              "quality.",
              "water quality"),
            Role::kOffer);
  EXPECT_EQ(R("It will continue to cooperate with Tokorozawa to improve "
              "urban planning.",
              "urban planning"),
            Role::kSeek);
}

TEST_F(RoleParserTest, CoordinatedCuesCombine) {
  EXPECT_EQ(R("Its experience and interests cover bus lanes and trams.",
              "trams"),
            Role::kBoth);
  EXPECT_EQ(R("The city has experience and interest in tourism.", "tourism"),
            Role::kBoth);
}

TEST_F(RoleParserTest, NestedCueOfAnotherRoleCombines) {
  EXPECT_EQ(R("The city seeks to promote its Favela Programme to build "
              "resilience.",
              "resilience"),
            Role::kBoth);
  // A phrase inside the cue takes the cue's combined role.
  EXPECT_EQ(R("The city seeks to promote its Favela Programme.", "Favela"),
            Role::kBoth);
}

TEST_F(RoleParserTest, CueRightAfterThePhraseAppliesFromBehind) {
  EXPECT_EQ(R("A circular-economy pioneer with carbon-neutrality targets.",
              "carbon-neutrality"),
            Role::kSeek);
  EXPECT_EQ(R("A circular-economy pioneer with carbon-neutrality targets.",
              "circular-economy"),
            Role::kOffer);
  EXPECT_EQ(R("It is in the mission for climate-neutral cities by 2030.",
              "climate-neutral"),
            Role::kSeek);
  // Not across a function word: "tourism and seeks" is two predicates.
  EXPECT_EQ(R("It knows tourism and challenges remain.", "tourism"),
            Role::kContext);
}

TEST_F(RoleParserTest, PredicativeCueAppliesToItsSubject) {
  EXPECT_EQ(R("Water and waste management are further interests.",
              "Water"),
            Role::kSeek);
  EXPECT_EQ(R("Smart city, renewable energy and shipbuilding are further "
              "interests.",
              "Smart city"),
            Role::kSeek);
  EXPECT_EQ(R("Circular economy is a further interest.", "Circular economy"),
            Role::kSeek);
  EXPECT_EQ(R("Increasing urban resiliency would be an area of common "
              "interest for the three cities.",
              "urban resiliency"),
            Role::kSeek);
  EXPECT_EQ(R("A Local Action Plan against Climate Change has been "
              "implemented.",
              "Climate Change"),
            Role::kOffer);
  EXPECT_EQ(R("Port city in China whose commission is interested in energy.",
              "Port city"),
            Role::kContext);
  // A relative clause about the phrase's own noun phrase.
  EXPECT_EQ(R("A city with a social innovation hub that can serve as a model.",
              "social innovation"),
            Role::kOffer);
}

TEST_F(RoleParserTest, SubordinateClauseEndsTheScope) {
  const std::string text =
      "It has been implemented for climate change adaptation as its historic "
      "areas are at risk from extreme weather.";
  EXPECT_EQ(R(text, "climate change adaptation"), Role::kOffer);
  EXPECT_EQ(R(text, "historic areas"), Role::kContext);
  EXPECT_EQ(R(text, "extreme weather"), Role::kContext);
  // "such as" and "as a" are no clause.
  EXPECT_EQ(R("It boasts parks such as a green belt.", "green belt"),
            Role::kOffer);
}

TEST_F(RoleParserTest, NewSubjectAfterACoordinatorEndsTheScope) {
  const std::string text =
      "It boasts tourism, but it is also a port with fishing.";
  EXPECT_EQ(R(text, "tourism"), Role::kOffer);
  EXPECT_EQ(R(text, "fishing"), Role::kContext);
}

TEST_F(RoleParserTest, BackgroundMarkerMakesWhatFollowsContext) {
  EXPECT_EQ(R("The economy is based on tourism.", "tourism"), Role::kContext);
  EXPECT_EQ(R("It boasts culture and its economy relies on ports.", "ports"),
            Role::kContext);
  // A participle inside a stated scope is part of the sought thing.
  EXPECT_EQ(R("It is interested in tourism routes based on culture.",
              "culture"),
            Role::kSeek);
  EXPECT_EQ(R("It has potential for tourism.", "tourism"), Role::kContext);
}

TEST_F(RoleParserTest, NegatedCueMakesItsScopeNotCount) {
  EXPECT_FALSE(Counts("The city is not interested in tourism.", "tourism"));
  EXPECT_FALSE(
      Counts("Almería has no experience in water management.", "water"));
  EXPECT_FALSE(Counts("The region lacks experience in ports.", "ports"));
  EXPECT_FALSE(
      Counts("The city doesn't have experience in energy.", "energy"));
  // "not only" is no negation.
  EXPECT_EQ(R("The city is not only interested in tourism.", "tourism"),
            Role::kSeek);
}

TEST_F(RoleParserTest, NegatedPhraseDoesNotCount) {
  const std::string text = "The city seeks to grow energy but not tourism.";
  EXPECT_EQ(R(text, "energy"), Role::kSeek);
  EXPECT_FALSE(Counts(text, "tourism"));
  EXPECT_FALSE(Counts("It boasts neither ports nor fishing.", "fishing"));
}

TEST_F(RoleParserTest, HedgedCueKeepsItsRoleAndIsMarked) {
  const SpanRole r = RoleIn("The city may be interested in tourism.", "tourism");
  EXPECT_TRUE(r.counts);
  EXPECT_EQ(r.role, Role::kSeek);
  EXPECT_TRUE(r.hedged);
  EXPECT_FALSE(RoleIn("The city is interested in tourism.", "tourism").hedged);
}

TEST_F(RoleParserTest, SentenceAboutAnotherPlaceDoesNotCount) {
  const std::string text =
      "Anci Lazio is an association near Rome. Rome is known for urban "
      "agriculture. Anci Lazio is interested in social inclusion.";
  EXPECT_FALSE(Counts(text, "urban agriculture"));
  EXPECT_TRUE(Counts(text, "social inclusion"));
  // With the place's name given.
  EXPECT_FALSE(Counts(text, "urban agriculture", "Anci Lazio"));
  EXPECT_TRUE(Counts(text, "urban agriculture", "Rome"));
}

TEST_F(RoleParserTest, CooperationWithAnotherPlaceIsTheSubjectsOwnIntent) {
  const std::string text =
      "Bratislava is a capital. Bratislava will continue to cooperate with "
      "Tokorozawa to integrate green infrastructures into urban planning.";
  EXPECT_EQ(R(text, "green infrastructures"), Role::kSeek);
  EXPECT_EQ(R(text, "urban planning"), Role::kSeek);
}

TEST_F(RoleParserTest, PossessiveOfAnotherPlaceIsNotItsSubject) {
  EXPECT_TRUE(Counts("Lisbon is a city. Korea's second city boasts tourism.",
                     "tourism"));
  // A capitalised word only at a sentence start is no proper noun.
  EXPECT_TRUE(Counts("Lisbon is a city. Agriculture is its main economic "
                     "sector and Lisbon boasts tourism.",
                     "Agriculture"));
}

TEST_F(RoleParserTest, SentenceAboutTheProgrammeDoesNotCount) {
  EXPECT_FALSE(Counts("The IURC programme is known for circular economy.",
                      "circular economy"));
  EXPECT_FALSE(Counts("IUC has experience in tourism.", "tourism"));
  EXPECT_TRUE(Counts("Its programme boasts tourism.", "tourism"));
}

TEST_F(RoleParserTest, CueWordsMayBeSeparatedByAFewWords) {
  EXPECT_EQ(R("Busan has considerable experience in tourism.", "tourism"),
            Role::kOffer);
  EXPECT_EQ(R("Busan is very well known for tourism.", "tourism"),
            Role::kOffer);
  EXPECT_EQ(R("Busan is very very well known for tourism.", "tourism"),
            Role::kContext);
  EXPECT_EQ(R("Busan is, as many say, known for tourism.", "tourism"),
            Role::kContext);
}

}  // namespace
}  // namespace pm
