// The evaluation set of match_quality: real pairings, their members'
// profiles, the topic labels, and the folds of the cross-validation.
#ifndef PARTNER_MATCH_BENCHMARKS_EVAL_SET_H_
#define PARTNER_MATCH_BENCHMARKS_EVAL_SET_H_

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/matching/match_index.h"
#include "engine/model/profile.h"
#include "engine/taxonomy/taxonomy.h"

namespace pm {

// One real pairing or cluster, with the themes it worked on (theme indexes
// of the taxonomy; empty when not labelled).
struct Pairing {
  std::vector<std::string> members;
  std::vector<int> topics;
};

// A query: a profile with a real partner on the other side of the programme.
struct Query {
  std::string id;
  size_t row = 0;                // in the MatchIndex it was made from
  std::set<std::string> real;    // its real partners on the other side
  int fold = 0;                  // the cross-validation fold it is tested in
  int component = 0;             // connected component of the pairing graph
};

struct EvalSet {
  std::vector<Profile> profiles;
  std::vector<Pairing> pairings;
  // Profile id -> its connected component in the graph whose edges are the
  // pairings (members of one pairing or cluster are connected).
  std::map<std::string, int> component;
  int components = 0;
  // Component -> fold, balanced by the number of queries (see AssignFolds).
  std::vector<int> fold_of_component;
  int folds = 0;

  // Reads DIR/dev_profiles.jsonl, DIR/dev_pairings.json and the topic labels
  // `topics_file` (one JSON object a line, `pairing` index and `topics`
  // theme ids of `taxonomy`); an error names the file and the problem.
  static absl::StatusOr<EvalSet> Load(const std::string& dir,
                                      const std::string& topics_file,
                                      const Taxonomy& taxonomy);

  // Assigns the components to `k` folds: largest component (by queries)
  // first, each to the fold with the fewest queries so far, lower fold on
  // ties. Deterministic.
  void AssignFolds(const MatchIndex& index, int k);

  // The queries of `index` (built from `profiles`), with folds once
  // AssignFolds has run.
  std::vector<Query> Queries(const MatchIndex& index) const;

  // The labelled topics of the pair (a, b): the union over the pairings
  // that have both as members.
  std::set<int> Topics(const std::string& a, const std::string& b) const;
};

}  // namespace pm

#endif  // PARTNER_MATCH_BENCHMARKS_EVAL_SET_H_
