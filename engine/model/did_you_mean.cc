#include "engine/model/did_you_mean.h"

#include <algorithm>
#include <numeric>

#include "absl/strings/ascii.h"

namespace pm {

size_t EditDistance(std::string_view a, std::string_view b) {
  // One row of the dynamic programme: row[j] = distance(a[0..i), b[0..j)).
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];  // distance(a[0..i-1), b[0..j-1))
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      const bool same = absl::ascii_tolower(static_cast<unsigned char>(a[i - 1])) ==
                        absl::ascii_tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

size_t MaxTypoDistance(std::string_view query) {
  return std::clamp<size_t>(query.size() / 3, 1, 3);
}

std::optional<size_t> Nearest(std::string_view query,
                              const std::vector<std::string_view>& candidates) {
  if (query.empty() || query.size() > kMaxCompareBytes) return std::nullopt;
  const size_t limit = MaxTypoDistance(query);
  std::optional<size_t> best;
  size_t best_distance = limit + 1;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const std::string_view c = candidates[i];
    if (c.size() > kMaxCompareBytes) continue;
    // The distance is at least the difference in length.
    const size_t gap = c.size() > query.size() ? c.size() - query.size()
                                               : query.size() - c.size();
    if (gap >= best_distance) continue;
    const size_t d = EditDistance(query, c);
    if (d < best_distance) {
      best_distance = d;
      best = i;
    }
  }
  return best;
}

}  // namespace pm
