#include "engine/similarity/exact_knn.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#if defined(__AVX__)
#include <immintrin.h>
#endif

// The threads are ExactKnn's own: Eigen must not start an OpenMP team inside
// each of them if this file is ever compiled with -fopenmp (on 2 cores that
// made it 4.6× slower).
#define EIGEN_DONT_PARALLELIZE
#include "Eigen/Core"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace pm {
namespace {

using RowMajorMatrix =
    Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Lanes checked together by the threshold filter.
constexpr size_t kLanes = 16;

// A candidate (score, id) as one integer that orders like the ranking:
// higher score first, then lower id. The score's bits are mapped to an
// unsigned order (−0 counted as +0, so equal scores tie on the id).
uint64_t CandidateKey(float score, uint32_t id) {
  score += 0.0f;  // −0 → +0
  uint32_t bits;
  std::memcpy(&bits, &score, sizeof bits);
  bits = (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
  return (uint64_t{bits} << 32) | (0xFFFFFFFFu - id);
}

float KeyScore(uint64_t key) {
  uint32_t bits = static_cast<uint32_t>(key >> 32);
  bits = (bits & 0x80000000u) != 0 ? bits & 0x7FFFFFFFu : ~bits;
  float score;
  std::memcpy(&score, &bits, sizeof score);
  return score;
}

uint32_t KeyId(uint64_t key) {
  return 0xFFFFFFFFu - static_cast<uint32_t>(key);
}

// Every row's bounded list of its best candidates so far: a binary min-heap
// of candidate keys, the worst candidate at the top. threshold(i) is the
// top's score once the list is full, −∞ before: a candidate scoring below
// it can never enter. Not thread-safe: ExactKnn locks the rows' block
// before offering.
class TopKLists {
 public:
  TopKLists(size_t n, size_t k)
      : k_(k),
        sizes_(n, 0),
        keys_(n * k),
        thresholds_(n, -std::numeric_limits<float>::infinity()) {}

  // n floats: row i's threshold at [i].
  const float* thresholds() const { return thresholds_.data(); }

  // Offers `id` with `score` to row `row`'s list.
  void Offer(size_t row, float score, uint32_t id) {
    uint64_t* heap = &keys_[row * k_];
    const uint64_t key = CandidateKey(score, id);
    size_t& size = sizes_[row];
    if (size < k_) {
      size_t pos = size++;  // sift up from the new leaf
      while (pos > 0 && heap[(pos - 1) / 2] > key) {
        heap[pos] = heap[(pos - 1) / 2];
        pos = (pos - 1) / 2;
      }
      heap[pos] = key;
      if (size == k_) thresholds_[row] = KeyScore(heap[0]);
      return;
    }
    if (key <= heap[0]) return;
    size_t pos = 0;  // sift down from the root
    for (size_t child = 1; child < k_; child = 2 * pos + 1) {
      if (child + 1 < k_ && heap[child + 1] < heap[child]) ++child;
      if (heap[child] >= key) break;
      heap[pos] = heap[child];
      pos = child;
    }
    heap[pos] = key;
    thresholds_[row] = KeyScore(heap[0]);
  }

  // Writes the lists, best first, into `graph` (n × k arrays already sized).
  void SortInto(KnnGraph* graph) const {
    std::vector<uint64_t> row(k_);
    for (size_t i = 0; i < sizes_.size(); ++i) {
      std::copy_n(&keys_[i * k_], k_, row.begin());
      std::sort(row.begin(), row.end(), std::greater<uint64_t>());
      for (size_t r = 0; r < k_; ++r) {
        graph->scores[i * k_ + r] = KeyScore(row[r]);
        graph->neighbours[i * k_ + r] = KeyId(row[r]);
      }
    }
  }

 private:
  size_t k_;
  std::vector<size_t> sizes_;
  std::vector<uint64_t> keys_;     // n × k
  std::vector<float> thresholds_;  // n
};

// Bit l set when scores[l] reaches the row threshold or its column's
// threshold column_thresholds[l], for l < kLanes: the lanes worth offering
// (a superset once thresholds have risen). One or two vector compares.
inline uint32_t LanesReaching(const float* scores, float row_threshold,
                              const float* column_thresholds) {
#if defined(__AVX512F__)
  const __m512 s = _mm512_loadu_ps(scores);
  return _mm512_cmp_ps_mask(s, _mm512_set1_ps(row_threshold), _CMP_GE_OQ) |
         _mm512_cmp_ps_mask(s, _mm512_loadu_ps(column_thresholds), _CMP_GE_OQ);
#elif defined(__AVX__)
  uint32_t mask = 0;
  const __m256 row = _mm256_set1_ps(row_threshold);
  for (size_t half = 0; half < kLanes; half += 8) {
    const __m256 s = _mm256_loadu_ps(scores + half);
    const __m256 reach = _mm256_or_ps(
        _mm256_cmp_ps(s, row, _CMP_GE_OQ),
        _mm256_cmp_ps(s, _mm256_loadu_ps(column_thresholds + half),
                      _CMP_GE_OQ));
    mask |= static_cast<uint32_t>(_mm256_movemask_ps(reach)) << half;
  }
  return mask;
#else
  uint32_t mask = 0;
  for (size_t l = 0; l < kLanes; ++l) {
    const bool reach =
        scores[l] >= row_threshold || scores[l] >= column_thresholds[l];
    mask |= static_cast<uint32_t>(reach) << l;
  }
  return mask;
#endif
}

// Offers the scores of rows [i0, i0 + rows) × columns [j0, j0 + cols)
// (row-major, `scores[r·cols + c]` for the pair (i0 + r, j0 + c)) to both
// rows' lists: to row i as candidate j and to row j as candidate i. With
// `diagonal` (i0 = j0) only the pairs above the diagonal are offered.
void OfferBlock(const float* scores, size_t i0, size_t rows, size_t j0,
                size_t cols, bool diagonal, TopKLists* lists) {
  const float* thresholds = lists->thresholds();
  for (size_t r = 0; r < rows; ++r) {
    const size_t i = i0 + r;
    const float* row = scores + r * cols;
    float row_threshold = thresholds[i];
    auto offer = [&](size_t c) {
      const float s = row[c];
      const size_t j = j0 + c;
      if (s >= row_threshold) {
        lists->Offer(i, s, static_cast<uint32_t>(j));
        row_threshold = thresholds[i];
      }
      if (s >= thresholds[j]) lists->Offer(j, s, static_cast<uint32_t>(i));
    };
    size_t c = diagonal ? r + 1 : 0;
    for (; c + kLanes <= cols; c += kLanes) {
      for (uint32_t lanes =
               LanesReaching(row + c, row_threshold, thresholds + j0 + c);
           lanes != 0; lanes &= lanes - 1) {
        offer(c + static_cast<size_t>(__builtin_ctz(lanes)));
      }
    }
    for (; c < cols; ++c) offer(c);
  }
}

absl::Status CheckInput(const float* rows, size_t n, size_t d,
                        const ExactKnnOptions& options) {
  if (options.k < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("k (", options.k, ") must be at least 1"));
  }
  if (options.threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads (", options.threads, ") must not be negative"));
  }
  if (options.block_rows < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "block_rows (", options.block_rows, ") must be at least 1"));
  }
  if (n > 0 && d < 1) {
    return absl::InvalidArgumentError("rows have no columns (d = 0)");
  }
  if (n > std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat("too many rows (", n, "): at most 2^32 − 1"));
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t c = 0; c < d; ++c) {
      if (!std::isfinite(rows[i * d + c])) {
        return absl::InvalidArgumentError(
            absl::StrCat("row ", i, ", column ", c, ": value is not finite"));
      }
    }
  }
  return absl::OkStatus();
}

// Runs `worker` on `threads` threads (this one included) and joins them.
// If the system refuses a thread, the ones started (at least this one) do
// all the work: the workers share one task counter.
template <typename Worker>
void RunWorkers(int threads, const Worker& worker) {
  std::vector<std::thread> started;
  for (int t = 1; t < threads; ++t) {
    try {
      started.emplace_back(worker);
    } catch (const std::system_error&) {
      break;
    }
  }
  worker();
  for (std::thread& thread : started) thread.join();
}

}  // namespace

namespace {

int WorkerCount(const ExactKnnOptions& options, size_t tasks) {
  const int threads =
      options.threads > 0
          ? options.threads
          : static_cast<int>(std::thread::hardware_concurrency());
  return static_cast<int>(
      std::clamp<size_t>(static_cast<size_t>(std::max(threads, 1)), 1, tasks));
}

}  // namespace

absl::StatusOr<KnnGraph> ExactKnn(const float* rows, size_t n, size_t d,
                                  const ExactKnnOptions& options) {
  absl::Status status = CheckInput(rows, n, d, options);
  if (!status.ok()) return status;
  KnnGraph graph;
  graph.n = n;
  graph.k = n <= 1 ? 0 : std::min(static_cast<size_t>(options.k), n - 1);
  if (graph.k == 0) return graph;

  const size_t block = std::min(static_cast<size_t>(options.block_rows), n);
  const size_t blocks = (n + block - 1) / block;
  const size_t tasks = blocks * (blocks + 1) / 2;  // block pairs I ≤ J
  const int threads = WorkerCount(options, tasks);

  TopKLists lists(n, graph.k);
  std::vector<std::mutex> block_locks(blocks);
  std::atomic<size_t> next_task{0};
  const Eigen::Map<const RowMajorMatrix> x(rows, n, d);
  auto worker = [&] {
    RowMajorMatrix scores(block, block);
    size_t bi = 0, bj = 0;  // the block pair of task t, walked row by row
    size_t t_seen = 0;
    for (size_t t = next_task++; t < tasks; t = next_task++) {
      for (; t_seen < t; ++t_seen) {
        if (++bj == blocks) bj = ++bi;
      }
      const size_t i0 = bi * block, j0 = bj * block;
      const size_t rows_i = std::min(block, n - i0);
      const size_t rows_j = std::min(block, n - j0);
      Eigen::Map<RowMajorMatrix> out(scores.data(), rows_i, rows_j);
      out.noalias() = x.middleRows(i0, rows_i) *
                      x.middleRows(j0, rows_j).transpose();
      std::unique_lock<std::mutex> lock_i(block_locks[bi], std::defer_lock);
      std::unique_lock<std::mutex> lock_j(block_locks[bj], std::defer_lock);
      if (bi == bj) {
        lock_i.lock();
      } else {
        std::lock(lock_i, lock_j);
      }
      OfferBlock(scores.data(), i0, rows_i, j0, rows_j, bi == bj, &lists);
    }
  };
  RunWorkers(threads, worker);

  graph.neighbours.resize(n * graph.k);
  graph.scores.resize(n * graph.k);
  lists.SortInto(&graph);
  return graph;
}

absl::StatusOr<KnnGraph> ExactKnnBipartite(const float* left, size_t nl,
                                           const float* right, size_t nr,
                                           size_t d,
                                           const ExactKnnOptions& options) {
  if (absl::Status s = CheckInput(left, nl, d, options); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat("left ", s.message()));
  }
  if (absl::Status s = CheckInput(right, nr, d, options); !s.ok()) {
    return absl::Status(s.code(), absl::StrCat("right ", s.message()));
  }
  if (nl + nr > std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "too many rows (", nl, " + ", nr, "): at most 2^32 − 1"));
  }
  KnnGraph graph;
  graph.n = nl + nr;
  graph.k = std::min({static_cast<size_t>(options.k), nl, nr});
  if (graph.k == 0) return graph;

  const size_t block = static_cast<size_t>(options.block_rows);
  const size_t blocks_l = (nl + block - 1) / block;
  const size_t blocks_r = (nr + block - 1) / block;
  const size_t tasks = blocks_l * blocks_r;
  const int threads = WorkerCount(options, tasks);

  // One list per row of either side; right row j is list nl + j.
  TopKLists lists(nl + nr, graph.k);
  std::vector<std::mutex> block_locks(blocks_l + blocks_r);
  std::atomic<size_t> next_task{0};
  const Eigen::Map<const RowMajorMatrix> x(left, nl, d);
  const Eigen::Map<const RowMajorMatrix> y(right, nr, d);
  auto worker = [&] {
    RowMajorMatrix scores(std::min(block, nl), std::min(block, nr));
    for (size_t t = next_task++; t < tasks; t = next_task++) {
      const size_t bi = t / blocks_r, bj = t % blocks_r;
      const size_t i0 = bi * block, j0 = bj * block;
      const size_t rows_i = std::min(block, nl - i0);
      const size_t rows_j = std::min(block, nr - j0);
      Eigen::Map<RowMajorMatrix> out(scores.data(), rows_i, rows_j);
      out.noalias() =
          x.middleRows(i0, rows_i) * y.middleRows(j0, rows_j).transpose();
      std::scoped_lock lock(block_locks[bi], block_locks[blocks_l + bj]);
      OfferBlock(scores.data(), i0, rows_i, nl + j0, rows_j,
                 /*diagonal=*/false, &lists);
    }
  };
  RunWorkers(threads, worker);

  graph.neighbours.resize(graph.n * graph.k);
  graph.scores.resize(graph.n * graph.k);
  lists.SortInto(&graph);
  return graph;
}

}  // namespace pm
