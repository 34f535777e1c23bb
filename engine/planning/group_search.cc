#include "engine/planning/group_search.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "engine/planning/bipartite_matching.h"
#include "engine/planning/group_partition.h"
#include "engine/planning/group_repartition.h"

namespace pm {
namespace {

// Passes of a local search, and rounds of local search and re-partition.
constexpr int kMaxPasses = 50;

// Phases 1 and 2 of SearchGroups: moves of single members. Not
// thread-safe; refers to `part`, which must outlive it.
class GroupLocalSearch {
 public:
  explicit GroupLocalSearch(GroupPartition& part)
      : part_(part),
        rules_(part.rules()),
        max_group_(static_cast<size_t>(part.rules().max_group())),
        x_row_(part.rules().size()),
        rest_rows_(PairingOptions::kMaxGroupSize - 1,
                   LinkRow(part.rules().size())) {}

  // One round of attaching single members to groups with room: a
  // maximum-weight matching on the gains. True when anything changed.
  bool AttachSingles();
  // Passes of ImproveAt until none improves: the first call's first pass
  // over every member, each other pass over the members whose best move
  // the changes since the pass before may have altered
  // (GroupPartition::Around). With groups of four, whose moves also look
  // at the singles near a candidate group's other members (two steps along
  // the near lists), the search ends only after a pass over every member
  // finds nothing.
  void Run();

 private:
  // Singles tried together in a group of four, per group.
  static constexpr size_t kPairedSingles = 8;

  // The best strictly improving change that moves member x; applies it.
  // Each candidate is first bounded from above by its link sums (a group's
  // value is the sum of its links; what a set settles into is worth no
  // more), and evaluated in full only when the bound beats the best so far.
  void ImproveAt(size_t x);
  // For chains: the single near slot a that best fills a's group without
  // its member x (whose other links sum to `rest_links`), improving on
  // *value; updates *value. kNowhere when none does. Uses rest_.
  size_t BestFiller(size_t a, int64_t rest_links, int64_t* value);
  // candidates_ = the slots of the members near x (to move or swap x into)
  // and near the rest of its group (to swap a member in), each once. Uses
  // rest_.
  void CollectCandidates(size_t x);
  // For single x (slot a): x and another single joining a group together,
  // the groups near x, the other among the kPairedSingles singles near x or
  // the group that add most to that group.
  void TryWithAnotherSingle(size_t a, GroupPartition::Change* best);

  std::vector<size_t> Everyone() const;
  // The sum of y's links with rest_ (missing ones counted as 0); *all:
  // whether all of them are links. Uses rest_rows_.
  int64_t RestLinks(size_t y, bool* all) const;

  GroupPartition& part_;
  const GroupRules& rules_;
  const size_t max_group_;
  bool first_run_ = true;
  size_t mark_ = 0;  // the partition's changes() when last looked at
  std::vector<size_t> rest_, new_a_, new_b_, candidates_;  // reused buffers
  const std::vector<size_t> empty_;
  // In ImproveAt(x): x's links, and those of each member of rest_.
  LinkRow x_row_;
  std::vector<LinkRow> rest_rows_;
};

int64_t GroupLocalSearch::RestLinks(size_t y, bool* all) const {
  int64_t sum = 0;
  *all = true;
  for (size_t k = 0; k < rest_.size(); ++k) {
    const int64_t u = rest_rows_[k][y];
    if (u < 0) {
      *all = false;
    } else {
      sum += u;
    }
  }
  return sum;
}

std::vector<size_t> GroupLocalSearch::Everyone() const {
  std::vector<size_t> out(rules_.size());
  for (size_t x = 0; x < out.size(); ++x) out[x] = x;
  return out;
}

bool GroupLocalSearch::AttachSingles() {
  std::vector<size_t> singles, open;
  for (size_t s = 0; s < part_.slots(); ++s) {
    if (part_.single(s)) {
      singles.push_back(s);
    } else if (part_.group(s).size() >= 2 &&
               part_.group(s).size() < max_group_) {
      open.push_back(s);
    }
  }
  auto gain = [&](size_t i, size_t j) -> int64_t {
    std::vector<size_t> g = part_.group(open[j]);
    g.push_back(part_.group(singles[i])[0]);
    const int64_t v = rules_.Value(g);
    return v < 0 ? 0 : v - part_.value(open[j]);
  };
  std::vector<std::pair<size_t, size_t>> matched;
  if (!rules_.sparse()) {
    matched = MaxWeightMatching(singles.size(), open.size(), gain);
  } else {
    // Only groups holding a near member of the single can take it (the
    // others have no link to it): a sparse b-matching with capacities 1.
    std::vector<size_t> open_index(part_.slots(), GroupPartition::kNowhere);
    for (size_t j = 0; j < open.size(); ++j) open_index[open[j]] = j;
    std::vector<WeightedEdge> edges;
    std::vector<size_t> near_open;
    for (size_t i = 0; i < singles.size(); ++i) {
      near_open.clear();
      for (size_t m : rules_.near(part_.group(singles[i])[0])) {
        const size_t j = open_index[part_.slot_of(m)];
        if (j != GroupPartition::kNowhere) near_open.push_back(j);
      }
      std::sort(near_open.begin(), near_open.end());
      near_open.erase(std::unique(near_open.begin(), near_open.end()),
                      near_open.end());
      for (size_t j : near_open) {
        if (const int64_t g = gain(i, j); g > 0) edges.emplace_back(i, j, g);
      }
    }
    for (size_t k : MaxWeightBMatching(
             singles.size(), open.size(), edges,
             std::vector<int>(singles.size(), 1),
             std::vector<int>(open.size(), 1), rules_.cancel())) {
      matched.emplace_back(std::get<0>(edges[k]), std::get<1>(edges[k]));
    }
  }
  for (const auto& [i, j] : matched) {
    std::vector<size_t> g = part_.group(open[j]);
    g.push_back(part_.group(singles[i])[0]);
    part_.Apply({0, {{singles[i], {}}, {open[j], g}}});
  }
  return !matched.empty();
}

size_t GroupLocalSearch::BestFiller(size_t a, int64_t rest_links,
                                    int64_t* value) {
  size_t filler = GroupPartition::kNowhere;
  if (rest_.empty()) return filler;
  for (const auto& [y, ignored_link] : part_.NearSlots({a}, {a}, true)) {
    bool all = true;
    const int64_t bound = rest_links + RestLinks(part_.group(y)[0], &all);
    if (!all || bound <= *value) continue;
    new_a_ = rest_;
    new_a_.push_back(part_.group(y)[0]);
    const int64_t v = rules_.Value(new_a_);
    if (v > *value) {
      *value = v;
      filler = y;
    }
  }
  return filler;
}

void GroupLocalSearch::CollectCandidates(size_t x) {
  candidates_.clear();
  for (size_t m : rules_.near(x)) candidates_.push_back(part_.slot_of(m));
  for (size_t r : rest_) {
    for (size_t m : rules_.near(r)) candidates_.push_back(part_.slot_of(m));
  }
  std::sort(candidates_.begin(), candidates_.end());
  candidates_.erase(std::unique(candidates_.begin(), candidates_.end()),
                    candidates_.end());
}

void GroupLocalSearch::ImproveAt(size_t x) {
  if (rules_.fixed_mate(x) != GroupRules::kNoMate) return;
  const size_t a = part_.slot_of(x);
  rest_ = part_.group(a);
  rest_.erase(std::find(rest_.begin(), rest_.end(), x));
  x_row_.Load(rules_, x);
  for (size_t k = 0; k < rest_.size(); ++k) {
    rest_rows_[k].Load(rules_, rest_[k]);
  }
  bool all = true;
  // Links inside the rest of x's group (all links: it is a group).
  const int64_t rest_links =
      part_.value(a) - x_row_.SumOver(rest_, GroupPartition::kNowhere, &all);
  const int64_t rest_value = rules_.Settle(rest_, nullptr);
  // The single that best takes x's place in its group, for chains.
  int64_t filler_value = rest_value;
  const size_t filler = BestFiller(a, rest_links, &filler_value);
  std::vector<size_t> filled = rest_;
  if (filler != GroupPartition::kNowhere)
    filled.push_back(part_.group(filler)[0]);

  GroupPartition::Change best;
  CollectCandidates(x);
  // The candidates' slots lie scattered over the partition: each one's
  // data, its members, and their links with x and the rest of its group
  // are fetched a few candidates ahead.
  const size_t count = candidates_.size();
  for (size_t i = 0; i < count; ++i) {
    if (i + 8 < count) part_.PrefetchSlot(candidates_[i + 8]);
    if (i + 4 < count) part_.PrefetchMembers(candidates_[i + 4]);
    if (i + 2 < count) {
      for (size_t m : part_.group(candidates_[i + 2])) {
        x_row_.Prefetch(m);
        for (size_t k = 0; k < rest_.size(); ++k) rest_rows_[k].Prefetch(m);
      }
    }
    const size_t b = candidates_[i];
    const std::vector<size_t>& gb = part_.group(b);
    if (b == a || b == filler || gb.empty()) continue;
    bool x_fits = true;
    const int64_t x_links =
        x_row_.SumOver(gb, GroupPartition::kNowhere, &x_fits);
    if (x_fits && gb.size() < max_group_) {
      if (rest_value >= 0 &&
          rest_value - part_.value(a) + x_links > best.gain) {
        new_b_ = gb;
        new_b_.push_back(x);
        part_.Consider({a, b}, {&rest_, &new_b_}, &best);  // move
      }
      if (filler != GroupPartition::kNowhere &&
          filler_value - part_.value(a) + x_links > best.gain) {
        new_b_ = gb;  // move and fill
        new_b_.push_back(x);
        part_.Consider({a, b, filler}, {&filled, &new_b_, &empty_}, &best);
      }
    }
    for (size_t k = 0; k < gb.size(); ++k) {  // swap
      const size_t y = gb[k];
      if (rules_.fixed_mate(y) != GroupRules::kNoMate) continue;
      bool ignored;
      const int64_t bound =
          rest_links + RestLinks(y, &ignored) +
          (part_.value(b) - part_.marginal(b, k)) +
          x_row_.SumOver(gb, y, &ignored) - part_.value(a) - part_.value(b);
      if (bound <= best.gain) continue;
      new_a_ = rest_;
      new_a_.push_back(y);
      new_b_ = gb;
      new_b_[k] = x;
      part_.Consider({a, b}, {&new_a_, &new_b_}, &best);
    }
    if (max_group_ >= 4 && part_.group(a).size() + gb.size() <= max_group_) {
      new_b_ = gb;  // merge
      new_b_.insert(new_b_.end(), part_.group(a).begin(), part_.group(a).end());
      part_.Consider({a, b}, {&empty_, &new_b_}, &best);
    }
  }
  if (max_group_ >= 4 && part_.single(a)) TryWithAnotherSingle(a, &best);
  if (best.gain <= 0) return;
  part_.Apply(best);
}

void GroupLocalSearch::TryWithAnotherSingle(size_t a,
                                            GroupPartition::Change* best) {
  const size_t x = part_.group(a)[0];
  for (const auto& [b, ignored] : part_.NearSlots({a}, {a}, false)) {
    const std::vector<size_t>& gb = part_.group(b);
    if (gb.size() < 2 || gb.size() + 2 > max_group_) continue;
    std::vector<std::pair<int64_t, size_t>> others;  // (-links, slot)
    for (const auto& [y, ignored_link] :
         part_.NearSlots({a, b}, {a, b}, true)) {
      int64_t links = rules_.units(x, part_.group(y)[0]);
      if (links < 0) continue;
      for (size_t m : gb) {
        const int64_t u = rules_.units(m, part_.group(y)[0]);
        if (u < 0) {
          links = -1;
          break;
        }
        links += u;
      }
      if (links >= 0) others.emplace_back(-links, y);
    }
    const size_t keep = std::min(others.size(), kPairedSingles);
    std::partial_sort(others.begin(), others.begin() + keep, others.end());
    for (size_t i = 0; i < keep; ++i) {
      const size_t y = others[i].second;
      new_b_ = gb;
      new_b_.push_back(x);
      new_b_.push_back(part_.group(y)[0]);
      part_.Consider({a, y, b}, {&empty_, &empty_, &new_b_}, best);
    }
  }
}

void GroupLocalSearch::Run() {
  bool everyone = first_run_;
  std::vector<size_t> pending = first_run_ ? Everyone() : part_.Around(mark_);
  first_run_ = false;
  for (int pass = 0; pass < kMaxPasses && !pending.empty(); ++pass) {
    mark_ = part_.changes();
    for (size_t x : pending) {
      if (rules_.cancel().Cancelled()) return;  // Plan returns CANCELLED
      ImproveAt(x);
    }
    pending = part_.Around(mark_);
    if (!pending.empty()) {
      everyone = false;
    } else if (max_group_ >= 4 && !everyone) {
      pending = Everyone();
      everyone = true;
    }
  }
}

}  // namespace

std::vector<std::vector<size_t>> SearchGroups(
    const GroupRules& rules, const std::vector<std::vector<size_t>>& start) {
  GroupPartition part(rules);
  for (const auto& g : start) part.Put(part.slots(), g);
  for (size_t m = 0; m < rules.size(); ++m) {
    if (part.slot_of(m) == GroupPartition::kNowhere)
      part.Put(part.slots(), {m});
  }
  GroupLocalSearch local(part);
  for (size_t round = 2; round < static_cast<size_t>(rules.max_group());
       ++round) {
    if (!local.AttachSingles()) break;
  }
  GroupRepartitioner repartitioner(part);
  for (int round = 0; round < kMaxPasses; ++round) {
    if (rules.cancel().Cancelled()) break;  // Plan returns CANCELLED
    local.Run();
    if (!repartitioner.Pass()) break;
  }
  if (repartitioner.RandomRounds()) local.Run();
  return part.Groups();
}

}  // namespace pm
