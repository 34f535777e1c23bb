// The plan's explanations: the reasons of each planned pair, the weak
// marks, and why each member left out is left out.
#include "engine/planning/plan_explanation.h"

#include <algorithm>
#include <cassert>
#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/matching/score.h"
#include "engine/planning/weak_fill.h"

namespace pm {
namespace {

std::string Fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", x);
  return buf;
}

// "Cali (cali)".
std::string Describe(const MatchIndex& index, size_t row) {
  const Profile& p = index.at(row).profile;
  return absl::StrCat(p.name, " (", p.id, ")");
}

// "Cali (cali, 0.221)".
std::string DescribeScored(const MatchIndex& index, size_t row, double score) {
  const Profile& p = index.at(row).profile;
  return absl::StrCat(p.name, " (", p.id, ", ", Fmt(score), ")");
}

// The themes two same-side members share, adding up to `share` (their
// theme-similarity part).
std::vector<MatchReason> SharedReasons(const MatchIndex& index, size_t a,
                                       size_t b, double share) {
  const auto ia = static_cast<Eigen::Index>(a);
  const auto ib = static_cast<Eigen::Index>(b);
  double total = 0;
  for (int t = 0; t < index.taxonomy().size(); ++t) {
    total += index.interest()(ia, t) * index.interest()(ib, t);
  }
  std::vector<MatchReason> out;
  if (!(total > 0) || !(share > 0)) return out;
  for (int t = 0; t < index.taxonomy().size(); ++t) {
    const double c =
        share * index.interest()(ia, t) * index.interest()(ib, t) / total;
    if (c < kMinReasonShare * share) continue;
    MatchReason r;
    r.theme = t;
    r.kind = ReasonKind::kShared;
    r.contribution = c;
    const ThemeInterest* ta = index.at(a).extraction.Find(t);
    const ThemeInterest* tb = index.at(b).extraction.Find(t);
    r.self_role = ta ? ta->role : Role::kContext;
    r.partner_role = tb ? tb->role : Role::kContext;
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(),
            [](const MatchReason& x, const MatchReason& y) {
              return x.contribution != y.contribution
                         ? x.contribution > y.contribution
                         : x.theme < y.theme;
            });
  if (out.size() > 6) out.resize(6);
  return out;
}

// Member order inside a group: EU members first, then by member number
// (id order).
void SortMembers(const CohortPairs& pairs, std::vector<size_t>& members) {
  std::sort(members.begin(), members.end(), [&](size_t x, size_t y) {
    if (pairs.eu(x) != pairs.eu(y)) return pairs.eu(x);
    return x < y;
  });
}

}  // namespace

std::string Barrier(const CohortPairs& pairs, size_t i, size_t j) {
  const MatchIndex& index = pairs.index();
  const size_t a = pairs.row(i), b = pairs.row(j);
  if (pairs.link(i, j).kind != CohortPairs::Link::kNone) return "";
  if (pairs.forbidden(i, j)) return "forbidden by the options";
  const Profile& pa = index.at(a).profile;
  const Profile& pb = index.at(b).profile;
  const Decision* d = index.LatestDecision(pa.id, pb.id);
  if (d != nullptr && d->kind == DecisionKind::kDeclined) {
    return absl::StrCat("declined by ", d->who);
  }
  if (pairs.eu(i) == pairs.eu(j)) return "";  // same side: only the above
  const ReciprocalScorer& scorer = pairs.scorer();
  const MatchRules& rules = scorer.options().rules;
  if (std::optional<std::string> ex = scorer.Exclusion(index, a, b)) {
    if (rules.forbid_same_country && pa.country == pb.country) {
      return "in the same country";
    }
    if (d != nullptr && d->kind != DecisionKind::kDeclined) {
      return "already partners";
    }
    auto knows = [](const Profile& x, const Profile& y) {
      return std::find(x.known_partners.begin(), x.known_partners.end(),
                       y.id) != x.known_partners.end();
    };
    if (knows(pa, pb) || knows(pb, pa)) return "already partners";
    return *ex;
  }
  if (pairs.options().kind_rule == KindRule::kHard && KindsClash(index, a, b)) {
    return "a city with a region (kind_rule hard)";
  }
  const double score = pairs.PairScore(i, j);
  if (!(score > 0)) return "no shared interest";
  return absl::StrCat("scoring ", Fmt(score), ", below min_score ",
                      Fmt(pairs.options().min_score));
}

PlannedGroup MakePlannedGroup(const CohortPairs& pairs,
                              std::vector<size_t> members) {
  const MatchIndex& index = pairs.index();
  SortMembers(pairs, members);
  PlannedGroup group;
  for (size_t m : members) group.members.push_back(pairs.row(m));
  for (size_t x = 0; x < members.size(); ++x) {
    for (size_t y = x + 1; y < members.size(); ++y) {
      GroupPair gp;
      gp.a = pairs.row(members[x]);
      gp.b = pairs.row(members[y]);
      auto explained = pairs.scorer().Explain(index, index.at(gp.a).profile.id,
                                              index.at(gp.b).profile.id);
      // The link from the explanation's parts: the pair is scored once.
      const CohortPairs::Link l =
          explained.ok()
              ? pairs.LinkOfParts(members[x], members[y], explained->parts)
              : pairs.link(members[x], members[y]);
      assert(l.kind != CohortPairs::Link::kNone ||
             MayWeakFill(pairs, members[x], members[y]));
      gp.score = l.score;
      gp.same_side = l.kind == CohortPairs::Link::kSameSide;
      gp.fixed = l.fixed;
      if (explained.ok()) {
        const ScoreParts& parts = explained->parts;
        gp.reasons =
            gp.same_side
                ? SharedReasons(index, gp.a, gp.b,
                                parts.penalty_factor *
                                    pairs.scorer().options().weights.shared *
                                    parts.shared)
                : std::move(explained->reasons);
        gp.text = std::move(explained->text);
        gp.penalties = std::move(explained->penalties);
      }
      gp.weak = !gp.same_side &&
                (gp.score < kWeakScore ||
                 (gp.reasons.empty() && gp.text.shared_terms.empty()));
      group.score += gp.score;
      group.fixed = group.fixed || gp.fixed;
      group.weak = group.weak || gp.weak;
      group.pairs.push_back(std::move(gp));
    }
  }
  return group;
}

UnmatchedExplainer::UnmatchedExplainer(
    const CohortPairs& pairs, const std::vector<std::vector<size_t>>& groups,
    const GroupRules* rules)
    : pairs_(pairs), groups_(groups), rules_(rules), groups_of_(pairs.size()) {
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t m : groups[g]) groups_of_[m].push_back(g);
  }
}

UnmatchedMember UnmatchedExplainer::Explain(size_t u) const {
  const MatchIndex& index = pairs_.index();
  UnmatchedMember out;
  out.member = pairs_.row(u);
  if (pairs_.sparse() && !pairs_.candidates().partners[u].empty()) {
    // Its best candidate is its best eligible partner found (the candidate
    // graph's lists are eligible partners, best first): no pass over the
    // cohort.
    const Candidate& best = pairs_.candidates().partners[u].front();
    out.cause = UnmatchedCause::kPartnersTaken;
    out.best_partner = pairs_.row(best.member);
    out.best_score = best.score;
    out.reason = TakenReason(u, best.member, best.score, &out.taken_by);
    return out;
  }
  std::optional<size_t> best, best_below;
  double best_score = 0, best_below_score = 0;
  std::vector<std::pair<std::string, int>> barriers;  // first-seen order
  size_t others = 0;
  for (size_t v = 0; v < pairs_.size(); ++v) {
    if (pairs_.eu(v) == pairs_.eu(u)) continue;
    ++others;
    const CohortPairs::Link l = pairs_.link(u, v);
    if (l.kind == CohortPairs::Link::kPartners) {
      if (!best || l.score > best_score) {
        best = v;
        best_score = l.score;
      }
      continue;
    }
    const double score = pairs_.PairScore(u, v);
    std::string why = Barrier(pairs_, u, v);
    if (absl::StartsWith(why, "scoring ")) {
      if (!best_below || score > best_below_score) {
        best_below = v;
        best_below_score = score;
      }
      why = "scoring below min_score";
    }
    auto it = std::find_if(barriers.begin(), barriers.end(),
                           [&](const auto& b) { return b.first == why; });
    if (it == barriers.end()) {
      barriers.emplace_back(why, 1);
    } else {
      ++it->second;
    }
  }
  const char* side = pairs_.eu(u) ? "partner-country" : "EU";
  if (best) {
    out.cause = UnmatchedCause::kPartnersTaken;
    out.best_partner = pairs_.row(*best);
    out.best_score = best_score;
    out.reason = TakenReason(u, *best, best_score, &out.taken_by);
  } else if (best_below) {
    out.cause = UnmatchedCause::kBelowMinScore;
    out.best_partner = pairs_.row(*best_below);
    out.best_score = best_below_score;
    out.reason =
        absl::StrCat("its best partner allowed by the rules, ",
                     Describe(index, pairs_.row(*best_below)), ", scores ",
                     Fmt(best_below_score), ", below min_score ",
                     Fmt(pairs_.options().min_score));
  } else if (others == 0) {
    out.reason = absl::StrCat("the cohort has no ", side, " member");
  } else {
    std::vector<std::string> parts;
    for (const auto& [why, count] : barriers) {
      parts.push_back(absl::StrCat(count, " ", why));
    }
    out.reason =
        absl::StrCat("no eligible partner among the ", others, " ", side,
                     " members of the cohort: ", absl::StrJoin(parts, ", "));
  }
  return out;
}

std::string UnmatchedExplainer::TakenReason(
    size_t u, size_t v, double score, std::vector<size_t>* taken_by) const {
  const MatchIndex& index = pairs_.index();
  std::string out = absl::StrCat("its best eligible partner, ",
                                 DescribeScored(index, pairs_.row(v), score));
  std::vector<std::string> mates;
  const std::vector<size_t>& gs = groups_of_[v];
  if (gs.size() > 1 || pairs_.options().capacity > 1) {
    for (size_t g : gs) {
      for (size_t m : groups_[g]) {
        if (m == v) continue;
        taken_by->push_back(pairs_.row(m));
        mates.push_back(
            DescribeScored(index, pairs_.row(m), pairs_.link(v, m).score));
      }
    }
    return absl::StrCat(out, ", already has its ", mates.size(),
                        " partners: ", absl::StrJoin(mates, ", "));
  }
  const std::vector<size_t>& g = groups_[gs.front()];
  double group_score = 0;
  for (size_t x = 0; x < g.size(); ++x) {
    for (size_t y = x + 1; y < g.size(); ++y) {
      group_score += pairs_.link(g[x], g[y]).score;
    }
    if (g[x] == v) continue;
    taken_by->push_back(pairs_.row(g[x]));
    mates.push_back(Describe(index, pairs_.row(g[x])));
  }
  if (g.size() == 2) {
    const size_t w = g[0] == v ? g[1] : g[0];
    absl::StrAppend(&out, ", is paired with ",
                    DescribeScored(index, pairs_.row(w), group_score),
                    pairs_.link(v, w).fixed ? " (a fixed pair)" : "");
  } else {
    absl::StrAppend(&out, ", is in a ", g.size() == 3 ? "trio" : "group",
                    " with ", absl::StrJoin(mates, " and "), " (score ",
                    Fmt(group_score), ")");
  }
  if (rules_ != nullptr) absl::StrAppend(&out, JoinReason(u, g));
  return out;
}

std::string UnmatchedExplainer::JoinReason(size_t u,
                                           const std::vector<size_t>& g) const {
  const MatchIndex& index = pairs_.index();
  if (g.size() >= static_cast<size_t>(rules_->max_group())) {
    return absl::StrCat("; that group is full (max_group_size ",
                        rules_->max_group(), ")");
  }
  for (size_t m : g) {
    if (rules_->units(u, m) < 0) {
      return absl::StrCat("; it may not join: its pair with ",
                          Describe(index, pairs_.row(m)), " is ",
                          Barrier(pairs_, u, m));
    }
  }
  std::vector<size_t> joined = g;
  joined.push_back(u);
  const double min_gain = rules_->min_gain();
  for (size_t x : joined) {
    double gain = 0;
    for (size_t y : joined) {
      if (y != x) gain += pairs_.link(x, y).score;
    }
    if (gain < min_gain) {
      return absl::StrCat(
          "; joining would make a group where ",
          x == u ? std::string("it") : Describe(index, pairs_.row(x)),
          " adds only ", Fmt(gain), ", below min_trio_gain ", Fmt(min_gain));
    }
  }
  return "";
}

}  // namespace pm
