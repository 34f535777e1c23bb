// Exact all-pairs top-k by inner product: for every row of a matrix, its k
// most similar other rows (the similarity graph of the design: each place's
// k most similar places).
//
// Shapes. The input `rows` is n × d, row-major, float: row i is item i. The
// result holds two n × k' arrays, row-major (k' = min(k, n − 1)): row i
// lists item i's neighbours, most similar first.
//
// Order. Candidates are ranked by score (the inner product) descending, ties
// to the lower row index; an item is never its own neighbour. With that
// strict order the result is unique for given scores: it does not depend on
// the thread count. Scores come from float GEMM blocks; each pair (a, b) is
// scored once and the same value serves both a's and b's lists (a 2×
// saving: only the upper triangle of the n × n score matrix is computed).
//
// Method. The rows are cut into blocks of `block_rows`; for each pair of
// blocks (I ≤ J) one Eigen GEMM gives the block_rows × block_rows scores
// X_I·X_Jᵀ, which are scanned at once against every row's current k-th best
// score (a vectorised threshold filter: only the few that beat it enter
// that row's bounded heap). The n × n matrix is never formed: memory
// O(n·k + threads·block_rows²). Time O(n²·d / 2) multiply-adds, spread over
// `threads` std::threads that take block pairs in turn.
#ifndef PARTNER_MATCH_ENGINE_SIMILARITY_EXACT_KNN_H_
#define PARTNER_MATCH_ENGINE_SIMILARITY_EXACT_KNN_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"

namespace pm {

struct ExactKnnOptions {
  // Neighbours per row (≥ 1); rows get min(k, n − 1).
  int k = 10;
  // Worker threads (≥ 0; 0: std::thread::hardware_concurrency()).
  int threads = 0;
  // Rows per GEMM block (≥ 1): a block pair's scores are block_rows² floats.
  // 512 keeps them (1 MiB) in a core's L2 cache.
  int block_rows = 512;
};

// The k-nearest-neighbour lists of every row. Both arrays are n × k,
// row-major: entry [i·k + r] is row i's r-th most similar row and its score.
struct KnnGraph {
  size_t n = 0;  // rows of the input
  size_t k = 0;  // neighbours per row: min(options.k, n − 1), 0 when n ≤ 1
  std::vector<uint32_t> neighbours;  // n × k, row-major; row indices
  std::vector<float> scores;         // n × k, row-major; descending per row

  uint32_t neighbour(size_t row, size_t rank) const {
    return neighbours[row * k + rank];
  }
  float score(size_t row, size_t rank) const { return scores[row * k + rank]; }
};

// Each row's k most similar other rows by inner product (see the file
// comment for the order and the method). `rows` points to n × d floats,
// row-major (row i at rows + i·d); it is read, never written, and must stay
// valid during the call. n = 0 or n = 1 gives an empty graph (k = 0).
// Errors (nothing is returned then): INVALID_ARGUMENT for k < 1,
// threads < 0, block_rows < 1, d < 1 with n > 0, n ≥ 2^32, or a value that
// is not finite ("row 7, column 3: value is not finite").
// Thread-safe: it only reads `rows`; concurrent calls are independent.
absl::StatusOr<KnnGraph> ExactKnn(const float* rows, size_t n, size_t d,
                                  const ExactKnnOptions& options = {});

// The same between two sets of rows: each row of `left` (nl × d) gets its k
// most similar rows of `right` (nr × d), and each row of `right` its k most
// similar rows of `left`, by inner product, in one pass over the nl × nr
// block pairs (each pair scored once, for both lists). The result has
// nl + nr rows and k = min(options.k, nl, nr): rows 0..nl−1 are the left
// rows, whose neighbours are numbered nl + j for right row j; rows nl + j
// are the right rows, whose neighbours are left row numbers. Same order,
// errors (prefixed "left " or "right ") and thread-safety as ExactKnn; an
// empty side gives k = 0.
absl::StatusOr<KnnGraph> ExactKnnBipartite(const float* left, size_t nl,
                                           const float* right, size_t nr,
                                           size_t d,
                                           const ExactKnnOptions& options = {});

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_SIMILARITY_EXACT_KNN_H_
