// "Did you mean …": the nearest of some known names to a mistyped one, for
// error messages that name an unknown id.
#ifndef PARTNER_MATCH_ENGINE_MODEL_DID_YOU_MEAN_H_
#define PARTNER_MATCH_ENGINE_MODEL_DID_YOU_MEAN_H_

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace pm {

// Levenshtein distance (insertions, deletions, substitutions of one byte
// each), ASCII letters compared without case. O(|a|·|b|) time, O(|b|) space.
size_t EditDistance(std::string_view a, std::string_view b);

// The largest distance at which a candidate still counts as what `query`
// meant: a third of its length, at least 1 and at most 3 (a typo or two,
// not a different word).
size_t MaxTypoDistance(std::string_view query);

// The index of the candidate nearest to `query` by EditDistance, when that
// distance is at most MaxTypoDistance(query); the first of equals; nullopt
// when none is near enough or `query` is empty. Inputs longer than kMaxCompareBytes are never
// near (the cost stays bounded for hostile input).
std::optional<size_t> Nearest(std::string_view query,
                              const std::vector<std::string_view>& candidates);
inline constexpr size_t kMaxCompareBytes = 128;

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_MODEL_DID_YOU_MEAN_H_
