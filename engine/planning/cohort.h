// Cohorts: the members of a programme round that a pairing plan (or a
// cluster search) works on, chosen from the loaded profiles by id, by kind and
// by world region.
#ifndef PARTNER_MATCH_ENGINE_PLANNING_COHORT_H_
#define PARTNER_MATCH_ENGINE_PLANNING_COHORT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/geo/gazetteer.h"
#include "engine/matching/match_index.h"

namespace pm {

// Which loaded profiles take part; mirrors partnermatch.v1.CohortSelector
// field for field. An empty selector selects every profile; the criteria
// given combine (a profile must meet every one).
struct CohortSelector {
  // Only these profiles (any order; an id given twice counts once).
  std::vector<std::string> ids;
  // "city" (cities and associations of municipalities) or "region", any
  // case; empty: both.
  std::string kind;
  // A world region of the gazetteer (e.g. "Latin America and the Caribbean",
  // any case): the partner-country members of that region together with all
  // EU members, since a programme round pairs the EU with one region. Empty:
  // every region.
  std::string world_region;
};

// The rows of `index` (ascending, i.e. in id order) that `selector` chooses.
// World regions are those of `gazetteer` and any a profile was given.
// Errors (nothing is returned):
//   INVALID_ARGUMENT "ids[2]: empty id";
//   NOT_FOUND "ids[2]: no profile with id 'atlantis'";
//   INVALID_ARGUMENT "kind must be 'city' or 'region', got 'town'";
//   INVALID_ARGUMENT "world_region: unknown world region 'Atlantis' (known:
//     Africa, Asia, ...)".
// The result may be empty (e.g. no region in the ids given). Cost O(n + |ids|).
absl::StatusOr<std::vector<size_t>> SelectCohort(
    const MatchIndex& index, const CohortSelector& selector,
    const Gazetteer& gazetteer = Gazetteer::Bundled());

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_PLANNING_COHORT_H_
