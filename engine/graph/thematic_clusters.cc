#include "engine/graph/thematic_clusters.h"

#include <igraph.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <numeric>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pm {
namespace {

// ---- A cohort-local weighted graph ---------------------------------------

// Vertices 0..n-1 stand for cohort positions; edges carry positive weights.
struct LocalGraph {
  int n = 0;
  std::vector<std::pair<int, int>> edges;  // u < v
  std::vector<double> weights;             // parallel to edges
};

// The subgraph induced by `members` (local vertex ids of `g`, ascending):
// vertex i of the result is members[i].
LocalGraph Induced(const LocalGraph& g, const std::vector<int>& members) {
  std::vector<int> local(static_cast<size_t>(g.n), -1);
  for (size_t i = 0; i < members.size(); ++i) {
    local[static_cast<size_t>(members[i])] = static_cast<int>(i);
  }
  LocalGraph sub;
  sub.n = static_cast<int>(members.size());
  for (size_t e = 0; e < g.edges.size(); ++e) {
    const int u = local[static_cast<size_t>(g.edges[e].first)];
    const int v = local[static_cast<size_t>(g.edges[e].second)];
    if (u < 0 || v < 0) continue;
    sub.edges.emplace_back(std::min(u, v), std::max(u, v));
    sub.weights.push_back(g.weights[e]);
  }
  return sub;
}

std::vector<double> Strengths(const LocalGraph& g) {
  std::vector<double> s(static_cast<size_t>(g.n), 0.0);
  for (size_t e = 0; e < g.edges.size(); ++e) {
    s[static_cast<size_t>(g.edges[e].first)] += g.weights[e];
    s[static_cast<size_t>(g.edges[e].second)] += g.weights[e];
  }
  return s;
}

// Groups of a membership vector, each ascending, ordered by first vertex.
std::vector<std::vector<int>> Groups(const std::vector<int>& membership) {
  std::map<int, size_t> slot;
  std::vector<std::vector<int>> groups;
  for (size_t v = 0; v < membership.size(); ++v) {
    auto [it, added] = slot.emplace(membership[v], groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(static_cast<int>(v));
  }
  return groups;
}

// ---- igraph --------------------------------------------------------------

// Debian's igraph is built without thread-local state (IGRAPH_THREAD_SAFE
// 0): its random generator and error handlers are process-wide. Every call
// into igraph in this process goes through this scope.
class IgraphScope {
 public:
  IgraphScope() : lock_(Mutex()) {
    // Report errors as return codes instead of aborting the process.
    old_error_ = igraph_set_error_handler(igraph_error_handler_ignore);
    old_warning_ = igraph_set_warning_handler(igraph_warning_handler_ignore);
  }
  ~IgraphScope() {
    igraph_set_error_handler(old_error_);
    igraph_set_warning_handler(old_warning_);
  }
  IgraphScope(const IgraphScope&) = delete;
  IgraphScope& operator=(const IgraphScope&) = delete;

 private:
  static std::mutex& Mutex() {
    static std::mutex mu;
    return mu;
  }
  std::lock_guard<std::mutex> lock_;
  igraph_error_handler_t* old_error_;
  igraph_warning_handler_t* old_warning_;
};

// RAII owners of igraph's C objects (each valid once its init succeeded).
struct IntVector {
  igraph_vector_int_t v;
  bool ok;
  explicit IntVector(igraph_integer_t n)
      : ok(igraph_vector_int_init(&v, n) == IGRAPH_SUCCESS) {}
  ~IntVector() {
    if (ok) igraph_vector_int_destroy(&v);
  }
};
struct RealVector {
  igraph_vector_t v;
  bool ok;
  explicit RealVector(igraph_integer_t n)
      : ok(igraph_vector_init(&v, n) == IGRAPH_SUCCESS) {}
  ~RealVector() {
    if (ok) igraph_vector_destroy(&v);
  }
};
struct Graph {
  igraph_t g;
  bool ok = false;
  ~Graph() {
    if (ok) igraph_destroy(&g);
  }
};

absl::Status IgraphError(const char* what, igraph_error_t code) {
  return absl::InternalError(
      absl::StrCat("igraph ", what, " failed: ", igraph_strerror(code)));
}

// Leiden on `graph` into `labels`, iterated until an iteration changes
// nothing, at most kMaxLeidenIterations times: igraph's own "until stable"
// (a negative n_iterations) can cycle for ever on near-cliques at high
// resolution. Inside an IgraphScope.
absl::Status RunLeiden(const igraph_t& graph, const igraph_vector_t& weights,
                       const igraph_vector_t& node_weights, double resolution,
                       igraph_vector_int_t& labels) {
  constexpr int kMaxLeidenIterations = 50;
  IntVector previous(igraph_vector_int_size(&labels));
  if (!previous.ok) {
    return absl::ResourceExhaustedError("igraph could not allocate vectors");
  }
  for (int iteration = 0; iteration < kMaxLeidenIterations; ++iteration) {
    igraph_integer_t clusters = 0;
    igraph_real_t quality = 0;
    const igraph_error_t rc = igraph_community_leiden(
        &graph, &weights, &node_weights, resolution, /*beta=*/0.01,
        /*start=*/iteration > 0, /*n_iterations=*/1, &labels, &clusters,
        &quality);
    if (rc != IGRAPH_SUCCESS) return IgraphError("community_leiden", rc);
    if (iteration > 0 && igraph_vector_int_all_e(&labels, &previous.v)) break;
    if (igraph_vector_int_update(&previous.v, &labels) != IGRAPH_SUCCESS) {
      return absl::ResourceExhaustedError("igraph could not copy a vector");
    }
  }
  return absl::OkStatus();
}

// Community labels (0, 1, ... by first vertex) of `g` by `method`.
absl::StatusOr<std::vector<int>> Detect(const LocalGraph& g,
                                        CommunityMethod method,
                                        double resolution, uint64_t seed) {
  std::vector<int> membership(static_cast<size_t>(g.n));
  if (g.edges.empty()) {
    std::iota(membership.begin(), membership.end(), 0);
    return membership;
  }
  const auto m = static_cast<igraph_integer_t>(g.edges.size());
  const std::vector<double> strength = Strengths(g);
  const double total = std::accumulate(strength.begin(), strength.end(), 0.0);

  IgraphScope scope;
  IntVector edges(2 * m);
  RealVector weights(m), node_weights(g.n);
  IntVector labels(g.n);
  if (!edges.ok || !weights.ok || !node_weights.ok || !labels.ok) {
    return absl::ResourceExhaustedError("igraph could not allocate vectors");
  }
  for (igraph_integer_t e = 0; e < m; ++e) {
    VECTOR(edges.v)[2 * e] = g.edges[static_cast<size_t>(e)].first;
    VECTOR(edges.v)[2 * e + 1] = g.edges[static_cast<size_t>(e)].second;
    VECTOR(weights.v)[e] = g.weights[static_cast<size_t>(e)];
  }
  for (int v = 0; v < g.n; ++v) {
    VECTOR(node_weights.v)[v] = strength[static_cast<size_t>(v)];
  }
  Graph graph;
  igraph_error_t rc = igraph_create(&graph.g, &edges.v, g.n, IGRAPH_UNDIRECTED);
  if (rc != IGRAPH_SUCCESS) return IgraphError("igraph_create", rc);
  graph.ok = true;
  igraph_rng_seed(igraph_rng_default(), static_cast<igraph_uint_t>(seed));
  if (method == CommunityMethod::kLeiden) {
    // Modularity: node weights = weighted degrees, resolution γ / 2W.
    if (absl::Status s = RunLeiden(graph.g, weights.v, node_weights.v,
                                   resolution / total, labels.v);
        !s.ok()) {
      return s;
    }
  } else {
    rc = igraph_community_multilevel(&graph.g, &weights.v, resolution,
                                     &labels.v, nullptr, nullptr);
    if (rc != IGRAPH_SUCCESS) return IgraphError("community_multilevel", rc);
  }
  // Canonical labels: numbered by each community's first vertex.
  std::map<igraph_integer_t, int> relabel;
  for (int v = 0; v < g.n; ++v) {
    auto [it, added] =
        relabel.emplace(VECTOR(labels.v)[v], static_cast<int>(relabel.size()));
    membership[static_cast<size_t>(v)] = it->second;
  }
  return membership;
}

// ---- Size bounds ---------------------------------------------------------

// Cuts `g` greedily into groups of at most `max_size`: each grown from the
// strongest vertex left by the vertex most strongly linked to the group.
std::vector<std::vector<int>> GreedyCut(const LocalGraph& g, int max_size) {
  std::vector<std::vector<std::pair<int, double>>> adj(
      static_cast<size_t>(g.n));
  for (size_t e = 0; e < g.edges.size(); ++e) {
    adj[static_cast<size_t>(g.edges[e].first)].emplace_back(g.edges[e].second,
                                                            g.weights[e]);
    adj[static_cast<size_t>(g.edges[e].second)].emplace_back(g.edges[e].first,
                                                             g.weights[e]);
  }
  const std::vector<double> strength = Strengths(g);
  std::vector<bool> used(static_cast<size_t>(g.n), false);
  std::vector<std::vector<int>> out;
  for (int left = g.n; left > 0;) {
    int seed = -1;
    for (int v = 0; v < g.n; ++v) {
      if (!used[static_cast<size_t>(v)] &&
          (seed < 0 || strength[static_cast<size_t>(v)] >
                           strength[static_cast<size_t>(seed)])) {
        seed = v;
      }
    }
    std::vector<int> group{seed};
    used[static_cast<size_t>(seed)] = true;
    --left;
    std::vector<double> link(static_cast<size_t>(g.n), 0.0);
    for (int added = seed; static_cast<int>(group.size()) < max_size;) {
      for (const auto& [u, w] : adj[static_cast<size_t>(added)]) {
        link[static_cast<size_t>(u)] += w;
      }
      added = -1;
      for (int v = 0; v < g.n; ++v) {
        if (!used[static_cast<size_t>(v)] && link[static_cast<size_t>(v)] > 0 &&
            (added < 0 ||
             link[static_cast<size_t>(v)] > link[static_cast<size_t>(added)])) {
          added = v;
        }
      }
      if (added < 0) break;
      group.push_back(added);
      used[static_cast<size_t>(added)] = true;
      --left;
    }
    std::sort(group.begin(), group.end());
    out.push_back(std::move(group));
  }
  return out;
}

// Appends to `out` the communities of `members` (local ids of `g`, a
// community found on g), split until none exceeds options.max_size.
absl::Status SplitLarge(const LocalGraph& g, const std::vector<int>& members,
                        const ClusterOptions& options,
                        std::vector<std::vector<int>>& out) {
  if (options.max_size == 0 ||
      static_cast<int>(members.size()) <= options.max_size) {
    out.push_back(members);
    return absl::OkStatus();
  }
  const LocalGraph sub = Induced(g, members);
  constexpr int kResolutionDoublings = 5;
  double resolution = options.resolution;
  for (int attempt = 0; attempt <= kResolutionDoublings; ++attempt) {
    absl::StatusOr<std::vector<int>> labels =
        Detect(sub, options.method, resolution, options.seed);
    if (!labels.ok()) return labels.status();
    std::vector<std::vector<int>> parts = Groups(*labels);
    // A split is kept when parts of a reportable size (at least min_size,
    // and at least 2) hold half the members or more: at high resolution a
    // near-clique falls apart into single places, which is no split.
    size_t in_real_parts = 0;
    for (const std::vector<int>& part : parts) {
      if (static_cast<int>(part.size()) >= std::max(2, options.min_size)) {
        in_real_parts += part.size();
      }
    }
    if (parts.size() > 1 && 2 * in_real_parts >= members.size()) {
      for (std::vector<int>& part : parts) {
        for (int& v : part) v = members[static_cast<size_t>(v)];
        absl::Status s = SplitLarge(g, part, options, out);
        if (!s.ok()) return s;
      }
      return absl::OkStatus();
    }
    resolution *= 2;
  }
  for (std::vector<int>& part : GreedyCut(sub, options.max_size)) {
    for (int& v : part) v = members[static_cast<size_t>(v)];
    out.push_back(std::move(part));
  }
  return absl::OkStatus();
}

// Merges communities smaller than min_size into the community most strongly
// linked to them (smallest first; within max_size). Empty groups are left
// behind for the caller to drop.
void MergeSmall(const LocalGraph& g, const ClusterOptions& options,
                std::vector<std::vector<int>>& groups) {
  std::vector<int> group_of(static_cast<size_t>(g.n), -1);
  for (size_t c = 0; c < groups.size(); ++c) {
    for (int v : groups[c])
      group_of[static_cast<size_t>(v)] = static_cast<int>(c);
  }
  const auto size_of = [&](size_t c) {
    return static_cast<int>(groups[c].size());
  };
  for (;;) {
    // The smallest small group (ties: lowest first vertex) with a target.
    std::vector<size_t> order(groups.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
      if (size_of(x) != size_of(y)) return size_of(x) < size_of(y);
      return x < y;
    });
    bool merged = false;
    for (size_t c : order) {
      if (groups[c].empty() || size_of(c) >= options.min_size) continue;
      std::map<int, double> link;  // target group -> total weight
      for (size_t e = 0; e < g.edges.size(); ++e) {
        const int gu = group_of[static_cast<size_t>(g.edges[e].first)];
        const int gv = group_of[static_cast<size_t>(g.edges[e].second)];
        if (gu == gv) continue;
        if (gu == static_cast<int>(c)) link[gv] += g.weights[e];
        if (gv == static_cast<int>(c)) link[gu] += g.weights[e];
      }
      int target = -1;
      for (const auto& [t, w] : link) {
        if (options.max_size > 0 &&
            size_of(c) + size_of(static_cast<size_t>(t)) > options.max_size) {
          continue;
        }
        if (target < 0 || w > link[target]) target = t;
      }
      if (target < 0) continue;
      for (int v : groups[c]) {
        groups[static_cast<size_t>(target)].push_back(v);
        group_of[static_cast<size_t>(v)] = target;
      }
      std::sort(groups[static_cast<size_t>(target)].begin(),
                groups[static_cast<size_t>(target)].end());
      groups[c].clear();
      merged = true;
      break;
    }
    if (!merged) return;
  }
}

// ---- Labels --------------------------------------------------------------

// Each member's mean similarity to the other members, and the mean over
// pairs (cohesion).
void Centrality(const MatchIndex& index, double latent_weight,
                ThematicCluster& cluster) {
  const size_t s = cluster.members.size();
  cluster.centrality.assign(s, 0.0);
  cluster.cohesion = 1.0;
  if (s < 2) return;
  std::vector<double> total(s, 0.0);
  if (latent_weight > 0) {
    // The latent similarity is not a dot product: pairwise.
    for (size_t i = 0; i < s; ++i) {
      for (size_t j = i + 1; j < s; ++j) {
        const double sim = ThematicSimilarity(
            index, cluster.members[i], cluster.members[j], latent_weight);
        total[i] += sim;
        total[j] += sim;
      }
    }
  } else {
    // Similarities are dot products of rows: Σ_j sim(i, j) = row_i · Σ rows
    // − row_i · row_i.
    const Eigen::MatrixXf& interest = index.interest();
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(interest.cols());
    for (size_t r : cluster.members) {
      sum +=
          interest.row(static_cast<Eigen::Index>(r)).transpose().cast<double>();
    }
    for (size_t i = 0; i < s; ++i) {
      const Eigen::VectorXd row =
          interest.row(static_cast<Eigen::Index>(cluster.members[i]))
              .transpose()
              .cast<double>();
      total[i] = row.dot(sum) - row.squaredNorm();
    }
  }
  double pairs = 0;
  for (size_t i = 0; i < s; ++i) {
    cluster.centrality[i] = total[i] / static_cast<double>(s - 1);
    pairs += total[i];
  }
  cluster.cohesion = pairs / (static_cast<double>(s) * (s - 1));
}

// Fills members' centrality, central members, themes and cohesion.
void Label(const MatchIndex& index, const ClusterOptions& options,
           ThematicCluster& cluster) {
  const size_t s = cluster.members.size();
  Centrality(index, options.graph.latent_weight, cluster);
  std::vector<size_t> order(s);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    if (cluster.centrality[x] != cluster.centrality[y]) {
      return cluster.centrality[x] > cluster.centrality[y];
    }
    return x < y;
  });
  for (size_t i = 0; i < s && i < static_cast<size_t>(options.central_members);
       ++i) {
    cluster.central_members.push_back(cluster.members[order[i]]);
  }

  std::vector<double> weight(static_cast<size_t>(index.taxonomy().size()), 0.0);
  for (size_t r : cluster.members) {
    for (const ThemeInterest& t : index.at(r).extraction.themes) {
      weight[static_cast<size_t>(t.theme)] += t.weight;
    }
  }
  for (int t = 0; t < static_cast<int>(weight.size()); ++t) {
    if (weight[static_cast<size_t>(t)] > 0) {
      cluster.themes.push_back({t, weight[static_cast<size_t>(t)]});
    }
  }
  std::sort(cluster.themes.begin(), cluster.themes.end(),
            [](const ClusterTheme& x, const ClusterTheme& y) {
              if (x.weight != y.weight) return x.weight > y.weight;
              return x.theme < y.theme;
            });
  if (cluster.themes.size() > static_cast<size_t>(options.label_themes)) {
    cluster.themes.resize(static_cast<size_t>(options.label_themes));
  }
}

// Modularity (γ = 1) of `groups` on `g`; vertices in no group alone.
double Modularity(const LocalGraph& g,
                  const std::vector<std::vector<int>>& groups) {
  const std::vector<double> strength = Strengths(g);
  const double two_w = std::accumulate(strength.begin(), strength.end(), 0.0);
  if (two_w <= 0) return 0;
  std::vector<int> group_of(static_cast<size_t>(g.n), -1);
  for (size_t c = 0; c < groups.size(); ++c) {
    for (int v : groups[c])
      group_of[static_cast<size_t>(v)] = static_cast<int>(c);
  }
  double q = 0;
  for (size_t e = 0; e < g.edges.size(); ++e) {
    const int gu = group_of[static_cast<size_t>(g.edges[e].first)];
    if (gu >= 0 && gu == group_of[static_cast<size_t>(g.edges[e].second)]) {
      q += 2 * g.weights[e] / two_w;
    }
  }
  for (const std::vector<int>& group : groups) {
    double d = 0;
    for (int v : group) d += strength[static_cast<size_t>(v)];
    q -= (d / two_w) * (d / two_w);
  }
  for (int v = 0; v < g.n; ++v) {
    if (group_of[static_cast<size_t>(v)] < 0) {
      q -= (strength[static_cast<size_t>(v)] / two_w) *
           (strength[static_cast<size_t>(v)] / two_w);
    }
  }
  return q;
}

absl::Status CheckOptions(const ClusterOptions& o) {
  if (!(o.resolution > 0) || !std::isfinite(o.resolution)) {
    return absl::InvalidArgumentError(
        absl::StrCat("resolution must be positive, got ", o.resolution));
  }
  if (o.min_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_size must be at least 1, got ", o.min_size));
  }
  if (o.max_size < 0 || o.max_size == 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_size must be 0 (no limit) or at least 2, got ", o.max_size));
  }
  if (o.max_size > 0 && o.max_size < o.min_size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "max_size (", o.max_size, ") is below min_size (", o.min_size, ")"));
  }
  if (o.label_themes < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("label_themes must be at least 1, got ", o.label_themes));
  }
  if (o.central_members < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "central_members must be at least 1, got ", o.central_members));
  }
  return absl::OkStatus();
}

// The similarity graph on cohort positions 0..m-1 (graph.rows ascending).
LocalGraph ToLocal(const SimilarityGraph& graph) {
  LocalGraph g;
  g.n = static_cast<int>(graph.rows.size());
  const auto position = [&](size_t row) {
    return static_cast<int>(
        std::lower_bound(graph.rows.begin(), graph.rows.end(), row) -
        graph.rows.begin());
  };
  for (const SimilarityEdge& e : graph.edges) {
    g.edges.emplace_back(position(e.a), position(e.b));
    g.weights.push_back(e.weight);
  }
  return g;
}

// Communities of `g` within the size bounds (before min_size is applied),
// each ascending; vertices without a link are in none.
absl::StatusOr<std::vector<std::vector<int>>> Communities(
    const LocalGraph& g, const ClusterOptions& options) {
  std::vector<bool> linked(static_cast<size_t>(g.n), false);
  for (const auto& [u, v] : g.edges) {
    linked[static_cast<size_t>(u)] = linked[static_cast<size_t>(v)] = true;
  }
  std::vector<int> with_links;
  for (int v = 0; v < g.n; ++v) {
    if (linked[static_cast<size_t>(v)]) with_links.push_back(v);
  }
  absl::StatusOr<std::vector<int>> labels = Detect(
      Induced(g, with_links), options.method, options.resolution, options.seed);
  if (!labels.ok()) return labels.status();
  std::vector<std::vector<int>> groups;
  for (std::vector<int>& community : Groups(*labels)) {
    for (int& v : community) v = with_links[static_cast<size_t>(v)];
    if (absl::Status s = SplitLarge(g, community, options, groups); !s.ok()) {
      return s;
    }
  }
  if (options.small_clusters == SmallClusterPolicy::kMerge) {
    MergeSmall(g, options, groups);
  }
  return groups;
}

}  // namespace

absl::StatusOr<ThematicClustering> FindThematicClusters(
    const MatchIndex& index, const std::vector<size_t>& rows,
    const ClusterOptions& options) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  absl::StatusOr<SimilarityGraph> graph =
      BuildSimilarityGraph(index, rows, options.graph);
  if (!graph.ok()) return graph.status();
  if (absl::Status s = options.cancel.Check(); !s.ok()) return s;
  ThematicClustering out;
  out.graph = *std::move(graph);
  const std::vector<size_t>& cohort = out.graph.rows;
  const LocalGraph g = ToLocal(out.graph);
  absl::StatusOr<std::vector<std::vector<int>>> groups =
      Communities(g, options);
  if (!groups.ok()) return groups.status();
  if (absl::Status s = options.cancel.Check(); !s.ok()) return s;

  std::vector<std::vector<int>> kept;
  std::vector<bool> clustered(cohort.size(), false);
  for (std::vector<int>& group : *groups) {
    if (group.empty() || static_cast<int>(group.size()) < options.min_size) {
      continue;
    }
    for (int v : group) clustered[static_cast<size_t>(v)] = true;
    kept.push_back(std::move(group));
  }
  out.modularity = Modularity(g, kept);
  for (size_t v = 0; v < cohort.size(); ++v) {
    if (!clustered[v]) out.unclustered.push_back(cohort[v]);
  }
  for (const std::vector<int>& group : kept) {
    ThematicCluster cluster;
    for (int v : group)
      cluster.members.push_back(cohort[static_cast<size_t>(v)]);
    Label(index, options, cluster);
    out.clusters.push_back(std::move(cluster));
  }
  std::sort(out.clusters.begin(), out.clusters.end(),
            [](const ThematicCluster& x, const ThematicCluster& y) {
              if (x.members.size() != y.members.size()) {
                return x.members.size() > y.members.size();
              }
              return x.members.front() < y.members.front();
            });
  return out;
}

}  // namespace pm
