#include "engine/model/did_you_mean.h"

#include <gtest/gtest.h>

#include <string>

namespace pm {
namespace {

TEST(EditDistanceTest, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("bratislva", "bratislava"), 1u);   // insertion
  EXPECT_EQ(EditDistance("bratisllava", "bratislava"), 1u); // deletion
  EXPECT_EQ(EditDistance("dublim", "dublin"), 1u);          // substitution
  EXPECT_EQ(EditDistance("Bratislava", "bratislava"), 0u);  // case
  EXPECT_EQ(EditDistance("lugo", "ogul"), 4u);
}

TEST(EditDistanceTest, IsSymmetric) {
  for (const auto& [a, b] : {std::pair<std::string, std::string>{"almeria", "almería"},
                             {"da-lat", "dalat"},
                             {"piura", "pisa"}}) {
    EXPECT_EQ(EditDistance(a, b), EditDistance(b, a)) << a << " " << b;
  }
}

TEST(NearestTest, FindsTheClosestWithinATypoOrTwo) {
  const std::vector<std::string_view> ids = {"bari", "bacau", "barcelona",
                                             "bratislava", "dublin"};
  EXPECT_EQ(Nearest("bratislva", ids), std::optional<size_t>(3));
  EXPECT_EQ(Nearest("dublim", ids), std::optional<size_t>(4));
  EXPECT_EQ(Nearest("Bari", ids), std::optional<size_t>(0));
  // A different word is not a typo.
  EXPECT_EQ(Nearest("tokyo", ids), std::nullopt);
  EXPECT_EQ(Nearest("", ids), std::nullopt);
  EXPECT_EQ(Nearest("bratislva", {}), std::nullopt);
  // Ties go to the first candidate.
  EXPECT_EQ(Nearest("bar", {"bari", "bart"}), std::optional<size_t>(0));
}

TEST(NearestTest, LongInputIsNeverNear) {
  const std::string long_query(kMaxCompareBytes + 1, 'a');
  EXPECT_EQ(Nearest(long_query, {long_query}), std::nullopt);
}

TEST(MaxTypoDistanceTest, GrowsWithLengthWithinBounds) {
  EXPECT_EQ(MaxTypoDistance("ab"), 1u);
  EXPECT_EQ(MaxTypoDistance("bratislava"), 3u);
  EXPECT_EQ(MaxTypoDistance("barcelona-metropolitan-area"), 3u);
  EXPECT_EQ(MaxTypoDistance("dublin"), 2u);
}

}  // namespace
}  // namespace pm
