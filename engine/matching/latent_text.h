// The latent text vector of each profile: TF-IDF over stemmed terms, reduced
// with a randomized truncated SVD (latent semantic analysis), so that places
// which share specific topics the taxonomy does not name ("restorative
// justice", "sculpture parks", "metal industry") still find each other.
//
// Terms. Each profile's text is analysed by pm::TextAnalyzer in the
// document's language; a term is a Snowball stem of that language, or two
// adjacent stems of one sentence (a bigram, "sculptur park") when
// LatentTextOptions::bigrams is set. Texts in different languages share
// few terms (names, acronyms): across languages the themes carry a score.
// Dropped: the language's function words (data/stop_words.tsv), words of
// one character, words without a letter (numbers, years),
// and the words of the place's own name and of its country's names (a place
// saying its own name says nothing about its topics). A term must occur in
// at least `min_df` documents: a term of one document can never be shared,
// and keeping it only dilutes that document's vector.
//
// Weights. tfidf(d, t) = (1 + ln tf) · ln((1 + n) / df), sublinear in the
// count so repetition does not swamp breadth; rows L2-normalised. tf counts
// a word in a sentence that states an interest or a strength (the
// extractor's offer and seek sentences) `stated_weight` times: what a place
// says it wants or offers is what a partnership is about, more than its
// background. The idf
// stays positive when a term is in every document (ln(1 + 1/n)), so two
// documents of a two-document corpus still see their shared words.
//
// Reduction (Halko, Martinsson & Tropp 2011, algorithm 4.4): with l = r + p
// columns, Ω (V × l) Gaussian from a fixed seed, Y = X Ω; q power iterations
// Y ← X (Xᵀ Y), re-orthonormalised by QR each half step; Q = qr(Y);
// B = Qᵀ X (l × V); the small SVD of B gives the term basis (the top r right
// singular vectors, V × r) and the document coordinates X · basis (n × r).
// Same input, same vectors: the seed is fixed and the Gaussian draws are
// computed here from std::mt19937 (not std::normal_distribution, whose
// algorithm differs between standard libraries).
//
// Rank. r = min(max_rank, ⌈n · rank_share⌉, V): the rank adapts to small
// corpora (75 profiles get r = 38: at r ≥ n the LSA cosine would be the
// TF-IDF cosine again, much below it the basis of a few dozen short texts
// merges unrelated topics); 100k profiles get max_rank = 64.
//
// Small corpora. The truncated SVD of a few dozen documents is a coarse
// summary, so the similarity the scorer reads combines both views:
//   Similarity(a, b) = lsa_share · max(0, cos(z_a, z_b))
//                      + (1 − lsa_share) · cos(x_a, x_b)
// with x the TF-IDF rows and z the LSA coordinates. The raw cosine keeps the
// evidence of exact shared terms (it is what the reasons name); the LSA
// cosine adds terms that co-occur across the corpus.
//
// Cost, n documents, V kept terms, N non-zeros (≈ 60 a profile), l = r + p:
// building O(N) for the terms, O((2q + 2) · N · l) for the sparse products,
// O(n · l² + V · l²) for the QRs and the small SVD; memory O(N + (n + V) · r)
// — no n × n structure and no dense n × V matrix. SimilarityToAll is
// O(n · r + Σ_{t in a} df_t). An upsert folds the new documents into the
// current basis (see "Fold-in" below; benchmarks/suggest_benchmark.cc
// BM_BuildIndex, BM_LatentText and BM_Upsert for the figures).
#ifndef PARTNER_MATCH_ENGINE_MATCHING_LATENT_TEXT_H_
#define PARTNER_MATCH_ENGINE_MATCHING_LATENT_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "engine/common/byte_io.h"
#include "engine/common/cancellation.h"
#include "engine/model/language.h"
#include "engine/model/profile.h"

namespace pm {

struct LatentTextOptions {
  // Upper bound on the rank r of the truncated SVD.
  int max_rank = 64;
  // r is at most this share of the number of documents (rounded up).
  double rank_share = 0.5;
  // Extra random columns p beyond r (Halko et al. suggest 5-10).
  int oversampling = 10;
  // Power iterations q: sharpen the spectrum of a slowly decaying corpus.
  int power_iterations = 2;
  // Terms in fewer documents are dropped.
  int min_df = 2;
  // Also count pairs of adjacent words of a sentence ("metal industry").
  bool bigrams = true;
  // How many times a word of a stated sentence counts (LatentDocument).
  double stated_weight = 1.5;
  // Weight of the LSA cosine in Similarity; the rest is the TF-IDF cosine.
  double lsa_share = 0.5;
  // Seed of the random projection.
  uint32_t seed = 20160601;
};

// One document to index: its text and the names that are not topics in it.
struct LatentDocument {
  std::string_view text;
  // The place's own names: every word counts as a name except words for
  // kinds of place ("Coimbra Region": "coimbra" is a name, "region" is not).
  std::vector<std::string_view> own_names;
  // Its country's name and aliases: every word is a name ("United Kingdom").
  std::vector<std::string_view> country_names;
  // Byte ranges [begin, end) of the sentences that state an interest or a
  // strength (e.g. the sentences of offer and seek evidence): their words
  // count LatentTextOptions::stated_weight times.
  std::vector<std::pair<size_t, size_t>> stated;
  Language language = Language::kEnglish;  // the text's
};

// A term two documents share, found in both texts.
struct SharedTerm {
  std::string term;  // as first written in the first document ("sculpture parks")
  double weight = 0;  // tfidf(a, t) · tfidf(b, t): its share of cos(x_a, x_b)
  Evidence self_evidence;     // its first occurrence in the first document
  Evidence partner_evidence;  // its first occurrence in the second document
};

// Immutable once built; safe to share between threads. Rows are documents
// in the order given to Build (or to Update).
//
// Fold-in. Update makes the next snapshot from this one without a new SVD:
// rows kept are shared (their term lists, their embeddings copied), a new
// document is weighted with the term statistics of the basis (the df and n
// of the last Build: a term the basis does not know is dropped) and
// projected on the basis. A document folded in gets the row a Build of the
// basis corpus would give it (to float rounding); the others move only when the basis is
// rebuilt. changed_since_basis() counts the documents folded in plus those
// dropped since the last Build (a replaced document counts twice): the
// caller rebuilds when it passes its drift rule (ProfileCatalog: a tenth of
// the documents). Cost of Update:
// O(n · r) to copy the embeddings, O(n) pointers, and for each new document
// its analysis plus O(terms · r); the posting lists touched are copied a
// block at a time (copy on write, kPostingBlock entries).
class LatentText {
 public:
  LatentText() = default;  // no documents

  // Indexes `documents` (valid UTF-8). Never fails: empty or short texts get
  // zero rows, and their similarities are 0. Once `cancel` fires it stops
  // and returns an empty index (the caller drops it).
  static LatentText Build(const std::vector<LatentDocument>& documents,
                          const LatentTextOptions& options = {},
                          const CancellationToken& cancel = {});

  // A row of the next snapshot: row `index` of this one (kept), or
  // documents[index] of Update's new documents (folded in).
  struct Source {
    bool added = false;
    size_t index = 0;
  };
  // The next snapshot: rows[i] says where its row i comes from. Rows of this
  // snapshot not named are removed. See "Fold-in" above.
  LatentText Update(const std::vector<Source>& rows,
                    const std::vector<LatentDocument>& documents) const;

  size_t size() const { return rows_.size(); }
  int rank() const { return static_cast<int>(embeddings_.cols()); }
  const LatentTextOptions& options() const;
  // Documents folded in plus documents dropped since the basis was built.
  size_t changed_since_basis() const { return changed_; }
  // Documents the basis and term statistics were built from.
  size_t basis_documents() const;

  // Kept terms, by id: stems, a bigram's two stems joined by a space.
  const std::vector<std::string>& terms() const;
  // Term ids and TF-IDF weights of document `row`, by term id, L2-normalised
  // (empty for a document without any kept term).
  const std::vector<std::pair<int, float>>& Row(size_t row) const;
  // Document `row`'s TF-IDF weight of term `term` (0 when absent).
  float Weight(size_t row, int term) const;
  // V × r, orthonormal columns: the top r right singular vectors of the
  // TF-IDF matrix of the basis corpus.
  const Eigen::MatrixXf& basis() const;
  // r, descending: the singular values of that matrix for basis()'s columns.
  const Eigen::VectorXf& singular_values() const;
  // n × r, row i = document i's coordinates Row(i) · basis(),
  // L2-normalised (zero rows stay zero). Row-major: a document's
  // coordinates are one contiguous block of r floats.
  using Embeddings =
      Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Embeddings& embeddings() const { return embeddings_; }

  // The combined similarity of documents a and b (see the file comment),
  // in [0, 1]; 0 when either has no kept term. O(r + terms of a and b).
  // SimilarityFrom(LsaCosine(a, b), TermCosine(a, b)).
  double Similarity(size_t a, size_t b) const;
  // cos(z_a, z_b), unclipped (0 when the rank is 0): SIMD over two
  // contiguous rows. O(r).
  float LsaCosine(size_t a, size_t b) const {
    if (rank() == 0) return 0.0f;
    return embeddings_.row(static_cast<Eigen::Index>(a))
        .dot(embeddings_.row(static_cast<Eigen::Index>(b)));
  }
  // Asks the CPU to start loading what LsaCosine(·, b) reads of document
  // b, and where its record is: for loops that know their next rows early.
  void Prefetch(size_t b) const {
    if (rank() > 0) {
      const float* row = embeddings_.row(static_cast<Eigen::Index>(b)).data();
      for (int i = 0; i < rank(); i += 16) __builtin_prefetch(row + i);
    }
    __builtin_prefetch(&rows_[b]);
  }
  // The next steps of that loading, each once the one before has had time
  // to arrive: document b's record (after Prefetch(b)), then its terms
  // (after PrefetchDocument(b)).
  void PrefetchDocument(size_t b) const;
  void PrefetchTerms(size_t b) const;
  // The combined similarity of two documents whose LSA cosine is `lsa` and
  // TF-IDF cosine `term_cosine` (the formula of the file comment). Monotone
  // in both: with term_cosine 0 it bounds Similarity from below, with 1
  // (and a rounding margin) from above.
  double SimilarityFrom(float lsa, double term_cosine) const;
  // Similarity(a, b) for every b, as an n-vector.
  // O(n · r + Σ_{t in a} df_t).
  Eigen::VectorXf SimilarityToAll(size_t a) const;
  // cos(x_a, x_b) alone.
  double TermCosine(size_t a, size_t b) const;
  // TermCosine(a, b) of one document a with many b: a's weights are spread
  // over the vocabulary once (a buffer of V floats per thread, O(terms of
  // a) per document a), then each b costs O(terms of b) with no branch per
  // term. The same sum in the same order as TermCosine, so the same value.
  // One at a time per thread.
  class TermCosines {
   public:
    TermCosines(const LatentText& latent, size_t a);
    ~TermCosines();
    TermCosines(const TermCosines&) = delete;
    TermCosines& operator=(const TermCosines&) = delete;
    double operator()(size_t b) const;

   private:
    const LatentText& latent_;
    size_t a_;
    std::vector<float>& weights_;  // this thread's buffer, by term id
  };

  // Up to `max` terms documents a and b share, by weight, strongest first,
  // ties by term id; only those weighing at least a fifth of the strongest
  // (the rest are common words that happen to be shared), and a word of a
  // shared bigram only within the bigram. Never named, though they count in
  // the score: generic words of profiles (data/generic_terms.txt: cue words
  // such as "interested", kinds of place, programme vocabulary; a two-word
  // term only when both words are generic), terms used by more than a
  // quarter of the documents of the basis (idf floor), and a word written as
  // part of a name in one text (capitalised inside its sentence, next to
  // another capitalised word) but not in the other ("Intermunicipal
  // Community" is not "community resilience"). `text_a` and `text_b` must be
  // the texts the documents were built from: terms are located in them to
  // give their written form and evidence. A term whose words are one of
  // `excluded` (names, folded like the text, e.g. the two places' own names;
  // every word of them counts) is left out.
  std::vector<SharedTerm> SharedTerms(
      size_t a, size_t b, std::string_view text_a, std::string_view text_b,
      const std::vector<std::string_view>& excluded, size_t max) const;

  // A document's text, analysed the first time a term is looked for in it:
  // one per document compared with several others (a list of suggestions
  // analyses the asking place's text once). For one thread at a time.
  class TextLocator {
   public:
    TextLocator(const LatentText& latent, size_t row, std::string_view text);
    ~TextLocator();
    TextLocator(const TextLocator&) = delete;
    TextLocator& operator=(const TextLocator&) = delete;
    std::string_view text() const { return text_; }
    // The first occurrence of term `key` in the text; false if none.
    bool Find(const std::string& key, Evidence& evidence);

   private:
    struct Analysis;
    const LatentText& latent_;
    size_t row_;
    std::string_view text_;
    std::unique_ptr<Analysis> analysis_;  // made by the first Find
  };
  // SharedTerms with the texts of a and b as locators.
  std::vector<SharedTerm> SharedTerms(
      size_t a, size_t b, TextLocator& text_a, TextLocator& text_b,
      const std::vector<std::string_view>& excluded, size_t max) const;

  // Appends this index to `out` (ByteWriter format: basis, term
  // statistics, rows and embeddings; the posting lists are rebuilt on
  // reading).
  void Serialize(std::string& out) const;
  // An index written by Serialize, read from `in`; nullopt when the bytes
  // are not one (short, or inconsistent).
  static std::optional<LatentText> Deserialize(ByteReader& in);

  // Posting lists are copied on write this many entries at a time.
  static constexpr size_t kPostingBlock = 4096;

  // The term statistics and basis (shared by the snapshots folded from one
  // Build), a document's row, and the posting lists: defined in the .cc.
  struct Model;
  struct Document;
  struct Postings;

 private:
  // Whether term `id` (of `words`, stems) may be named as a shared term:
  // not generic, not in more than a quarter of the documents.
  bool Explains(int id, const std::vector<std::string>& words) const;

  std::shared_ptr<const Model> model_;
  std::vector<std::shared_ptr<const Document>> rows_;
  std::shared_ptr<const Postings> postings_;
  // Posting lists name documents by slot (stable across Update); slot ->
  // row of this snapshot, or -1 for a document removed or replaced.
  std::vector<int32_t> row_of_slot_;
  Embeddings embeddings_;
  size_t changed_ = 0;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_MATCHING_LATENT_TEXT_H_
