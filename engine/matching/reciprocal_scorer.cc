#include "engine/matching/reciprocal_scorer.h"

#include <algorithm>
#include <queue>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pm {
namespace {

// Reasons below this share of the pair's score are noise, not reasons.
constexpr double kMinReasonShare = 0.02;
constexpr size_t kMaxReasons = 6;
constexpr int kMaxK = 1000;

double Harmonic(double x, double y) {
  return x + y > 0 ? 2 * x * y / (x + y) : 0.0;
}

absl::StatusOr<size_t> RowOf(const MatchIndex& index, std::string_view id) {
  return index.Row(id);
}

std::string SideName(bool eu) { return eu ? "EU members" : "partner-country members"; }

}  // namespace

std::optional<std::string> ReciprocalScorer::Exclusion(const MatchIndex& index,
                                                       size_t a,
                                                       size_t b) const {
  const IndexedProfile& pa = index.at(a);
  const IndexedProfile& pb = index.at(b);
  const MatchRules& rules = options_.rules;
  if (a == b) return std::string("a place is not its own partner");
  if (rules.require_opposite_sides && pa.eu_member == pb.eu_member) {
    return absl::StrCat("both are ", SideName(pa.eu_member),
                        "; a pair joins an EU member with a partner-country "
                        "member");
  }
  if (rules.forbid_same_country && pa.profile.country == pb.profile.country) {
    return absl::StrCat("both are in the same country (", pa.profile.country,
                        ")");
  }
  if (const Decision* d =
          index.LatestDecision(pa.profile.id, pb.profile.id)) {
    switch (d->kind) {
      case DecisionKind::kDeclined:
        return absl::StrCat("declined by ", d->who,
                            d->why.empty() ? "" : ": ", d->why);
      case DecisionKind::kAccepted:
        if (rules.exclude_known_partners) {
          return absl::StrCat("already accepted as partners by ", d->who,
                              " (not suggested again as new)");
        }
        break;
      case DecisionKind::kExisting:
        if (rules.exclude_known_partners) {
          return absl::StrCat("an existing partnership, recorded by ", d->who,
                              " (not suggested again as new)");
        }
        break;
    }
  }
  if (rules.exclude_known_partners) {
    const auto& ka = pa.profile.known_partners;
    const auto& kb = pb.profile.known_partners;
    if (std::find(ka.begin(), ka.end(), pb.profile.id) != ka.end() ||
        std::find(kb.begin(), kb.end(), pa.profile.id) != kb.end()) {
      return std::string("already partners (a known partnership is not "
                         "suggested again as new)");
    }
  }
  return std::nullopt;
}

ScoreParts ReciprocalScorer::Parts(const MatchIndex& index, size_t a, size_t b,
                                   std::vector<std::string>* penalties) const {
  const auto ia = static_cast<Eigen::Index>(a);
  const auto ib = static_cast<Eigen::Index>(b);
  ScoreParts p;
  p.shared = index.interest().row(ia).dot(index.interest().row(ib));
  p.gives = index.offer().row(ia).dot(index.seek().row(ib));
  p.gets = index.seek().row(ia).dot(index.offer().row(ib));
  p.reciprocal = Harmonic(p.gives, p.gets);
  p.latent = index.latent().Similarity(a, b);
  if (IsCityLike(index.at(a).profile.kind) !=
      IsCityLike(index.at(b).profile.kind)) {
    p.penalty_factor = options_.rules.kind_mismatch_factor;
    if (penalties != nullptr && p.penalty_factor < 1) {
      penalties->push_back(absl::StrCat(
          "a ", PlaceKindName(index.at(a).profile.kind), " paired with a ",
          PlaceKindName(index.at(b).profile.kind), " (score x",
          p.penalty_factor, ")"));
    }
  }
  const ScoreWeights& w = options_.weights;
  p.score = p.penalty_factor *
            (w.shared * p.shared + w.reciprocal * p.reciprocal +
             w.one_sided * (p.gives + p.gets) / 2 + w.latent * p.latent);
  return p;
}

std::vector<MatchReason> ReciprocalScorer::Reasons(const MatchIndex& index,
                                                   size_t a, size_t b) const {
  const auto ia = static_cast<Eigen::Index>(a);
  const auto ib = static_cast<Eigen::Index>(b);
  const ScoreParts parts = Parts(index, a, b, nullptr);
  const ScoreWeights& w = options_.weights;
  const Extraction& ea = index.at(a).extraction;
  const Extraction& eb = index.at(b).extraction;
  std::vector<MatchReason> reasons;
  // The score splits exactly over themes: the shared and one-sided parts are
  // sums over themes, and the reciprocal part is shared out in proportion to
  // each theme's share of gives and of gets.
  for (int t = 0; t < index.taxonomy().size(); ++t) {
    const double shared = index.interest()(ia, t) * index.interest()(ib, t);
    const double give = index.offer()(ia, t) * index.seek()(ib, t);
    const double get = index.seek()(ia, t) * index.offer()(ib, t);
    double recip_share = 0;
    if (parts.gives > 0 && parts.gets > 0) {
      recip_share = (give / parts.gives + get / parts.gets) / 2;
    }
    const double contribution =
        parts.penalty_factor * (w.shared * shared +
                                w.reciprocal * parts.reciprocal * recip_share +
                                w.one_sided * (give + get) / 2);
    if (contribution <= 0 || contribution < kMinReasonShare * parts.score) {
      continue;
    }
    MatchReason reason;
    reason.theme = t;
    reason.contribution = contribution;
    const ThemeInterest* ta = ea.Find(t);
    const ThemeInterest* tb = eb.Find(t);
    reason.self_role = ta ? ta->role : Role::kContext;
    reason.partner_role = tb ? tb->role : Role::kContext;
    if (give > 0 && get > 0) {
      reason.kind = "mutual";
    } else if (get > 0) {
      reason.kind = "offers";
    } else if (give > 0) {
      reason.kind = "seeks";
    } else {
      reason.kind = "shared";
    }
    reasons.push_back(std::move(reason));
  }
  std::sort(reasons.begin(), reasons.end(),
            [](const MatchReason& x, const MatchReason& y) {
              if (x.contribution != y.contribution) {
                return x.contribution > y.contribution;
              }
              return x.theme < y.theme;
            });
  if (reasons.size() > kMaxReasons) reasons.resize(kMaxReasons);
  return reasons;
}

TextReason ReciprocalScorer::Text(const MatchIndex& index, size_t a, size_t b,
                                  const ScoreParts& parts) const {
  TextReason text;
  text.contribution =
      parts.penalty_factor * options_.weights.latent * parts.latent;
  if (text.contribution <= 0) return text;
  std::vector<std::string_view> names = index.OwnNames(a);
  const std::vector<std::string_view> b_names = index.OwnNames(b);
  names.insert(names.end(), b_names.begin(), b_names.end());
  text.shared_terms = index.latent().SharedTerms(
      a, b, index.at(a).profile.text, index.at(b).profile.text, names,
      kMaxSharedTerms);
  return text;
}

std::vector<std::pair<size_t, double>> ReciprocalScorer::Rank(
    const MatchIndex& index, size_t a, size_t k) const {
  const auto ia = static_cast<Eigen::Index>(a);
  // One pass over all profiles: a few n-vectors, no n × n structure.
  const Eigen::VectorXf shared = index.interest() * index.interest().row(ia).transpose();
  const Eigen::VectorXf gives = index.seek() * index.offer().row(ia).transpose();
  const Eigen::VectorXf gets = index.offer() * index.seek().row(ia).transpose();
  Eigen::VectorXf latent;
  if (options_.weights.latent != 0) latent = index.latent().SimilarityToAll(a);
  const ScoreWeights& w = options_.weights;
  const bool city_a = IsCityLike(index.at(a).profile.kind);

  // Min-heap of the best k (score, row); lower row wins ties (id order).
  using Entry = std::pair<double, size_t>;
  // `better` orders the heap so that its top is the worst entry kept.
  auto better = [](const Entry& x, const Entry& y) {
    if (x.first != y.first) return x.first > y.first;
    return x.second < y.second;
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(better)> best(better);
  for (size_t b = 0; b < index.size(); ++b) {
    if (Exclusion(index, a, b)) continue;
    const auto ib = static_cast<Eigen::Index>(b);
    const double factor = city_a == IsCityLike(index.at(b).profile.kind)
                              ? 1.0
                              : options_.rules.kind_mismatch_factor;
    const double score =
        factor * (w.shared * shared[ib] +
                  w.reciprocal * Harmonic(gives[ib], gets[ib]) +
                  w.one_sided * (gives[ib] + gets[ib]) / 2 +
                  (latent.size() > 0 ? w.latent * latent[ib] : 0.0));
    if (score <= 0) continue;
    if (best.size() < k) {
      best.emplace(score, b);
    } else if (better(Entry{score, b}, best.top())) {
      best.pop();
      best.emplace(score, b);
    }
  }
  std::vector<std::pair<size_t, double>> out(best.size());
  for (size_t i = out.size(); i-- > 0; best.pop()) {
    out[i] = {best.top().second, best.top().first};
  }
  return out;
}

PartnerSuggestion ReciprocalScorer::Detail(const MatchIndex& index, size_t a,
                                           size_t b) const {
  PartnerSuggestion out;
  out.partner = b;
  out.parts = Parts(index, a, b, &out.penalties);
  out.reasons = Reasons(index, a, b);
  out.text = Text(index, a, b, out.parts);
  return out;
}

absl::StatusOr<std::vector<PartnerSuggestion>> ReciprocalScorer::Suggest(
    const MatchIndex& index, std::string_view id, int k) const {
  if (k < 1 || k > kMaxK) {
    return absl::InvalidArgumentError(
        absl::StrCat("k must be between 1 and ", kMaxK, ", got ", k));
  }
  auto row = RowOf(index, id);
  if (!row.ok()) return row.status();
  std::vector<PartnerSuggestion> out;
  for (const auto& [b, score] : Rank(index, *row, static_cast<size_t>(k))) {
    out.push_back(Detail(index, *row, b));
  }
  return out;
}

std::vector<std::pair<size_t, PartnerSuggestion>>
ReciprocalScorer::StrongestPairs(const MatchIndex& index, size_t m) const {
  // Every profile's best partner, ranked without reasons; each pair once:
  // from its lower row, or from b when b's own best partner is someone else.
  std::vector<std::optional<std::pair<size_t, double>>> best(index.size());
  for (size_t a = 0; a < index.size(); ++a) {
    const auto top = Rank(index, a, 1);
    if (!top.empty()) best[a] = top.front();
  }
  std::vector<std::pair<size_t, PartnerSuggestion>> pairs;
  for (size_t a = 0; a < index.size(); ++a) {
    if (!best[a]) continue;
    const size_t b = best[a]->first;
    if (b < a && best[b] && best[b]->first == a) continue;
    pairs.emplace_back(a, PartnerSuggestion{});
    pairs.back().second.partner = b;
    pairs.back().second.parts.score = best[a]->second;
  }
  std::sort(pairs.begin(), pairs.end(), [](const auto& x, const auto& y) {
    if (x.second.parts.score != y.second.parts.score) {
      return x.second.parts.score > y.second.parts.score;
    }
    return x.first < y.first;
  });
  if (pairs.size() > m) pairs.resize(m);
  for (auto& [a, suggestion] : pairs) suggestion = Detail(index, a, suggestion.partner);
  return pairs;
}

absl::StatusOr<PairExplanation> ReciprocalScorer::Explain(
    const MatchIndex& index, std::string_view a_id,
    std::string_view b_id) const {
  auto a = RowOf(index, a_id);
  if (!a.ok()) return a.status();
  auto b = RowOf(index, b_id);
  if (!b.ok()) return b.status();
  if (*a == *b) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot explain a match of '", std::string(a_id), "' with itself"));
  }
  PairExplanation out;
  out.parts = Parts(index, *a, *b, &out.penalties);
  out.reasons = Reasons(index, *a, *b);
  out.text = Text(index, *a, *b, out.parts);
  out.exclusion = Exclusion(index, *a, *b);
  return out;
}

}  // namespace pm
