#include "engine/planning/cohort.h"

#include <algorithm>
#include <optional>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/common/quote.h"

namespace pm {
namespace {

// The world region named `name` (any case), spelled as the gazetteer or a
// profile spells it, or an INVALID_ARGUMENT listing the known ones.
absl::StatusOr<std::string> CanonicalRegion(const MatchIndex& index,
                                            const Gazetteer& gazetteer,
                                            const std::string& name) {
  std::set<std::string> known;
  for (const Country& c : gazetteer.countries()) known.insert(c.world_region);
  for (const IndexedProfile& p : index.profiles()) {
    if (!p.world_region.empty()) known.insert(p.world_region);
  }
  for (const std::string& region : known) {
    if (absl::EqualsIgnoreCase(region, name)) return region;
  }
  // Profiles may bring regions of their own: name a bounded number.
  constexpr size_t kMaxNamed = 20;
  std::vector<std::string> named(
      known.begin(), std::next(known.begin(), std::min(known.size(), kMaxNamed)));
  if (known.size() > kMaxNamed) {
    named.push_back(absl::StrCat("and ", known.size() - kMaxNamed, " more"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("world_region: unknown world region ", QuoteInput(name),
                   " (known: ", absl::StrJoin(named, ", "), ")"));
}

}  // namespace

absl::StatusOr<std::vector<size_t>> SelectCohort(const MatchIndex& index,
                                                 const CohortSelector& selector,
                                                 const Gazetteer& gazetteer) {
  // Rows allowed by the id list (all when there is none).
  std::vector<bool> chosen(index.size(), selector.ids.empty());
  for (size_t i = 0; i < selector.ids.size(); ++i) {
    const std::string& id = selector.ids[i];
    if (id.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("ids[", i, "]: empty id"));
    }
    absl::StatusOr<size_t> row = index.Row(id);
    if (!row.ok()) {
      return absl::NotFoundError(absl::StrCat("ids[", i, "]: ", row.status().message()));
    }
    chosen[*row] = true;
  }

  std::optional<bool> want_city;  // nullopt: any kind
  if (!selector.kind.empty()) {
    const std::string kind = absl::AsciiStrToLower(selector.kind);
    if (kind != "city" && kind != "region") {
      return absl::InvalidArgumentError(absl::StrCat(
          "kind must be 'city' or 'region', got ", QuoteInput(selector.kind)));
    }
    want_city = kind == "city";
  }

  std::optional<std::string> region;
  if (!selector.world_region.empty()) {
    absl::StatusOr<std::string> canonical =
        CanonicalRegion(index, gazetteer, selector.world_region);
    if (!canonical.ok()) return canonical.status();
    region = *std::move(canonical);
  }

  std::vector<size_t> rows;
  for (size_t row = 0; row < index.size(); ++row) {
    if (!chosen[row]) continue;
    const IndexedProfile& p = index.at(row);
    if (want_city && IsCityLike(p.profile.kind) != *want_city) continue;
    if (region && !p.eu_member && p.world_region != *region) continue;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace pm
