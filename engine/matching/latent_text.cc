#include "engine/matching/latent_text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <numeric>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include <Eigen/QR>
#include <Eigen/SVD>
#include <Eigen/SparseCore>

#include "data/bundled_data.h"
#include "engine/common/parallel_for.h"
#include "engine/text/stop_words.h"
#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

// Words of place names that are kinds of place, not names: "Coimbra Region"
// does not make "region" a name. Folded.
const std::unordered_set<std::string>& GenericNameWords() {
  static const auto* words = new std::unordered_set<std::string>{
      "area", "association", "big", "capital", "central", "city", "county",
      "de", "del", "della", "department", "district", "do", "dos", "da",
      "das", "east", "great", "greater", "la", "las", "le", "les", "los",
      "metropolitan", "municipality", "new", "north", "northern", "province",
      "region", "regional", "republic", "saint", "san", "santa", "south",
      "southern", "st", "state", "the", "town", "united", "west", "western"};
  return *words;
}

// data/generic_terms.txt: words of profiles that are not topics on their
// own ("interested", "city", "experience"). Folded.
const std::unordered_set<std::string>& GenericWords() {
  static const auto* words = [] {
    auto* set = new std::unordered_set<std::string>;
    const std::string_view file = bundled::File_generic_terms_txt();
    for (size_t start = 0; start < file.size();) {
      const size_t end = std::min(file.find('\n', start), file.size());
      std::string_view line = file.substr(start, end - start);
      start = end + 1;
      line = line.substr(0, std::min(line.find('#'), line.size()));
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
        line.remove_suffix(1);
      }
      if (!line.empty()) set->emplace(line);
    }
    return set;
  }();
  return *words;
}

// The stems of GenericWords().
const std::unordered_set<std::string>& GenericStems() {
  static const auto* stems = [] {
    auto* set = new std::unordered_set<std::string>;
    for (const std::string& word : GenericWords()) {
      for (const Token& t : TextAnalyzer::Analyze(word).tokens) {
        if (t.stem != "-") set->insert(t.stem);
      }
    }
    return set;
  }();
  return *stems;
}

// A shared term is named only when its weight is at least this share of the
// strongest shared term's.
constexpr double kMinTermShare = 0.2;

// A shared term is named only when at most this share of the documents use
// it (or 2 documents, in a small corpus): a word that a quarter of the places
// use does not explain why this pair fits.
constexpr double kMaxTermDocumentShare = 0.25;

// True when the one word of `evidence` in `text` is written as part of a
// name: capitalised inside its sentence, next to another capitalised word
// ("the Intermunicipal Community of ...").
bool PartOfName(std::string_view text, const Evidence& evidence) {
  const auto upper = [&](size_t i) {
    return i < text.size() && std::isupper(static_cast<unsigned char>(text[i]));
  };
  if (!upper(evidence.begin) || evidence.begin <= evidence.sentence_begin) {
    return false;
  }
  // The previous word's first letter, and the next word's.
  size_t before = evidence.begin;
  while (before > evidence.sentence_begin && text[before - 1] == ' ') --before;
  while (before > evidence.sentence_begin && text[before - 1] != ' ') --before;
  size_t after = evidence.end;
  while (after < evidence.sentence_end && text[after] == ' ') ++after;
  return (before < evidence.begin && before > evidence.sentence_begin &&
          upper(before)) ||
         (after > evidence.end && after < evidence.sentence_end && upper(after));
}

bool HasLetter(std::string_view word) {
  for (const char c : word) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalpha(u)) return true;
  }
  return false;
}

// A token that can be (part of) a term: a word of two or more characters
// with a letter, not a function word of the text's language.
bool IsContentWord(const Token& token, Language language) {
  return token.stem != "-" && token.folded.size() >= 2 &&
         HasLetter(token.folded) && !IsStopWord(token.folded, language);
}

// One occurrence of a term in a text: tokens [first, last].
struct Occurrence {
  std::string key;  // stem, or "stem stem" for a bigram
  size_t first = 0;
  size_t last = 0;
};

// True when only white space and hyphens stand between tokens a and b.
bool Adjacent(std::string_view text, const Token& a, const Token& b) {
  if (a.sentence != b.sentence) return false;
  for (size_t i = a.end; i < b.begin; ++i) {
    const char c = text[i];
    if (c != ' ' && c != '-' && c != '\t' && c != '\n') return false;
  }
  return true;
}

// The terms of `text` in text order: content words whose stem is not in
// `skip`, and with `bigrams` each pair of such words standing next to each
// other in a sentence.
std::vector<Occurrence> Occurrences(
    std::string_view text, const AnalyzedText& analyzed,
    const std::unordered_set<std::string>& skip, bool bigrams) {
  std::vector<Occurrence> out;
  const std::vector<Token>& tokens = analyzed.tokens;
  size_t previous = tokens.size();  // the last content word, if adjacent
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& token = tokens[i];
    if (token.stem == "-") continue;
    if (!IsContentWord(token, analyzed.language) ||
        skip.count(token.stem) > 0) {
      previous = tokens.size();
      continue;
    }
    out.push_back(Occurrence{token.stem, i, i});
    if (bigrams && previous < tokens.size() &&
        Adjacent(text, tokens[previous], token)) {
      out.push_back(Occurrence{tokens[previous].stem + " " + token.stem,
                               previous, i});
    }
    previous = i;
  }
  return out;
}

// Adds the stems of the words of `names` to `stems`, except generic place
// words unless `all_words`.
void AddNameStems(const std::vector<std::string_view>& names, bool all_words,
                  Language language, std::unordered_set<std::string>& stems) {
  for (std::string_view name : names) {
    for (const Token& token : TextAnalyzer::Analyze(name, language).tokens) {
      if (token.stem == "-") continue;
      if (!all_words && GenericNameWords().count(token.folded) > 0) continue;
      stems.insert(token.stem);
    }
  }
}

// Orthonormal basis of the columns of `m` (rows ≥ cols): the thin Q of QR.
Eigen::MatrixXf Orthonormalize(const Eigen::MatrixXf& m) {
  Eigen::HouseholderQR<Eigen::MatrixXf> qr(m);
  return qr.householderQ() * Eigen::MatrixXf::Identity(m.rows(), m.cols());
}

// rows × cols standard normal draws from `rng` (Box-Muller; portable,
// unlike std::normal_distribution).
Eigen::MatrixXf Gaussian(Eigen::Index rows, Eigen::Index cols,
                         std::mt19937& rng) {
  Eigen::MatrixXf m(rows, cols);
  const double two_pi = 6.283185307179586;
  for (Eigen::Index j = 0; j < cols; ++j) {
    for (Eigen::Index i = 0; i < rows; ++i) {
      // u1 in (0, 1], u2 in [0, 1).
      const double u1 = (static_cast<double>(rng()) + 1.0) / 4294967296.0;
      const double u2 = static_cast<double>(rng()) / 4294967296.0;
      m(i, j) = static_cast<float>(std::sqrt(-2.0 * std::log(u1)) *
                                   std::cos(two_pi * u2));
    }
  }
  return m;
}

void NormalizeRows(Eigen::MatrixXf& m) {
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    const float norm = m.row(i).norm();
    if (norm > 0) m.row(i) /= norm;
  }
}

// Term counts of documents, under provisional ids (first-seen order).
struct TermCounts {
  std::vector<std::string> terms;  // provisional id -> term
  std::vector<int> df;             // provisional id -> document frequency
  // Per document: (provisional id, weighted count), in the order the terms
  // first occur in the document.
  std::vector<std::vector<std::pair<int, double>>> counts;
};

// The terms of one document with their weighted counts, in the order they
// first occur in it.
std::vector<std::pair<std::string, double>> DocumentTerms(
    const LatentDocument& document, const LatentTextOptions& options) {
  const std::string_view text = document.text;
  std::unordered_set<std::string> names;
  const Language language = document.language;
  AddNameStems(document.own_names, false, language, names);
  AddNameStems(document.country_names, true, language, names);
  const AnalyzedText analyzed = TextAnalyzer::Analyze(text, language);
  const std::vector<Occurrence> occurrences =
      Occurrences(text, analyzed, names, options.bigrams);
  std::vector<std::pair<std::string, double>> terms;
  // Key (viewing into `occurrences`) -> index into terms.
  std::unordered_map<std::string_view, size_t> at_of;
  for (const Occurrence& o : occurrences) {
    const size_t at = analyzed.tokens[o.first].begin;
    double weight = 1;
    for (const auto& [begin, end] : document.stated) {
      if (begin <= at && at < end) weight = options.stated_weight;
    }
    auto it = at_of.find(o.key);
    if (it == at_of.end()) {
      it = at_of.emplace(o.key, terms.size()).first;
      terms.emplace_back(o.key, 0.0);
    }
    terms[it->second].second += weight;
  }
  return terms;
}

// Documents are analysed this many at a time (on every core), then
// counted in order.
constexpr size_t kCountBlock = 4096;

// Stops early (counts of the rest left empty) once `cancel` fires.
TermCounts CountTerms(const std::vector<LatentDocument>& documents,
                      const LatentTextOptions& options,
                      const CancellationToken& cancel = {}) {
  TermCounts out;
  std::unordered_map<std::string, int> provisional;
  out.counts.resize(documents.size());
  std::vector<std::vector<std::pair<std::string, double>>> block;
  for (size_t first = 0; first < documents.size(); first += kCountBlock) {
    const size_t size = std::min(kCountBlock, documents.size() - first);
    block.assign(size, {});
    const bool analysed = ParallelFor(
        size, 16,
        [&](size_t i) {
          if (cancel.Cancelled()) return false;
          block[i] = DocumentTerms(documents[first + i], options);
          return true;
        },
        [](size_t) {});
    if (!analysed) return out;
    for (size_t i = 0; i < size; ++i) {
      std::vector<std::pair<int, double>>& counts = out.counts[first + i];
      counts.reserve(block[i].size());
      for (auto& [term, tf] : block[i]) {
        auto [it, inserted] =
            provisional.emplace(term, static_cast<int>(out.terms.size()));
        if (inserted) {
          out.terms.push_back(std::move(term));
          out.df.push_back(0);
        }
        ++out.df[it->second];
        counts.emplace_back(it->second, tf);
      }
    }
  }
  return out;
}

// (1 + ln tf) · ln((1 + n) / df): sublinear in the count.
double TermWeight(double tf, double df, double n) {
  return (1.0 + std::log(tf)) * std::log((1.0 + n) / df);
}

// The rank-r truncated SVD of `x` (see the file comment): the term basis
// (V × r) and the singular values.
void TruncatedSvd(const Eigen::SparseMatrix<float, Eigen::ColMajor>& x,
                  Eigen::Index r, const LatentTextOptions& options,
                  Eigen::MatrixXf& basis, Eigen::VectorXf& singular_values) {
  const Eigen::Index vocabulary = x.cols();
  const Eigen::Index l =
      std::min<Eigen::Index>({r + options.oversampling, vocabulary, x.rows()});
  std::mt19937 rng(options.seed);
  Eigen::MatrixXf q = Orthonormalize(x * Gaussian(vocabulary, l, rng));
  for (int i = 0; i < options.power_iterations; ++i) {
    const Eigen::MatrixXf z = Orthonormalize(x.transpose() * q);
    q = Orthonormalize(x * z);
  }
  // Bᵀ = Xᵀ Q (V × l) = Q₂ R; R = U_R S W_Rᵀ; so B = W_R S (Q₂ U_R)ᵀ and
  // the right singular vectors of B (of X, approximately) are Q₂ U_R.
  const Eigen::MatrixXf bt = x.transpose() * q;
  Eigen::HouseholderQR<Eigen::MatrixXf> qr(bt);
  const Eigen::MatrixXf q2 =
      qr.householderQ() * Eigen::MatrixXf::Identity(vocabulary, l);
  const Eigen::MatrixXf rr =
      qr.matrixQR().topRows(l).triangularView<Eigen::Upper>();
  Eigen::JacobiSVD<Eigen::MatrixXf> svd(rr, Eigen::ComputeFullU);
  basis = q2 * svd.matrixU().leftCols(r);
  singular_values = svd.singularValues().head(r);
}

}  // namespace

struct LatentText::Model {
  LatentTextOptions options;
  std::vector<std::string> terms;  // by id, sorted
  std::unordered_map<std::string, int> id_of;
  std::vector<int> df;  // by id, over the basis corpus
  size_t documents = 0;  // n of the basis corpus
  Eigen::MatrixXf basis;  // V × r
  Eigen::VectorXf singular_values;
};

struct LatentText::Document {
  uint32_t slot = 0;
  Language language = Language::kEnglish;  // LatentDocument::language
  std::vector<std::pair<int, float>> terms;  // by term id, L2-normalised
};

// Term id -> (slot, weight) of the documents using it, in slot order, in
// blocks of kPostingBlock shared between snapshots.
struct LatentText::Postings {
  using Block = std::vector<std::pair<uint32_t, float>>;
  using List = std::vector<std::shared_ptr<const Block>>;
  std::vector<std::shared_ptr<const List>> lists;  // by term id
  uint32_t next_slot = 0;
};

namespace {

// `weights` (term id, weight) L2-normalised (the norm summed in the order
// given), by term id.
std::vector<std::pair<int, float>> NormalizedTerms(
    std::vector<std::pair<int, double>> weights) {
  double norm = 0;
  for (const auto& [id, w] : weights) norm += w * w;
  norm = std::sqrt(norm);
  std::sort(weights.begin(), weights.end());
  std::vector<std::pair<int, float>> out;
  out.reserve(weights.size());
  for (const auto& [id, w] : weights) {
    out.emplace_back(id, static_cast<float>(w / norm));
  }
  return out;
}

// Row · basis, L2-normalised (a zero row stays zero).
Eigen::RowVectorXf Project(const std::vector<std::pair<int, float>>& terms,
                           const Eigen::MatrixXf& basis) {
  Eigen::RowVectorXf out = Eigen::RowVectorXf::Zero(basis.cols());
  for (const auto& [id, w] : terms) out += w * basis.row(id);
  const float norm = out.norm();
  if (norm > 0) out /= norm;
  return out;
}

}  // namespace

LatentText LatentText::Build(const std::vector<LatentDocument>& documents,
                             const LatentTextOptions& options,
                             const CancellationToken& cancel) {
  LatentText out;
  auto model = std::make_shared<Model>();
  model->options = options;
  const size_t n = documents.size();
  model->documents = n;
  TermCounts counts = CountTerms(documents, options, cancel);
  if (cancel.Cancelled()) return LatentText();

  // Kept terms, ids in term order (deterministic whatever the hashing).
  std::vector<int> kept;
  for (int id = 0; id < static_cast<int>(counts.terms.size()); ++id) {
    if (counts.df[id] >= options.min_df) kept.push_back(id);
  }
  std::sort(kept.begin(), kept.end(), [&](int x, int y) {
    return counts.terms[x] < counts.terms[y];
  });
  std::vector<int> final_id(counts.terms.size(), -1);
  model->terms.reserve(kept.size());
  for (int id : kept) {
    final_id[id] = static_cast<int>(model->terms.size());
    model->id_of.emplace(counts.terms[id], final_id[id]);
    model->df.push_back(counts.df[id]);
    model->terms.push_back(std::move(counts.terms[id]));
  }

  // TF-IDF, rows L2-normalised.
  const auto vocabulary = static_cast<Eigen::Index>(model->terms.size());
  auto postings = std::make_shared<Postings>();
  std::vector<std::shared_ptr<Postings::Block>> blocks(model->terms.size());
  std::vector<Postings::List> lists(model->terms.size());
  std::vector<Eigen::Triplet<float>> triplets;
  out.rows_.reserve(n);
  for (size_t d = 0; d < n; ++d) {
    std::vector<std::pair<int, double>> weights;
    for (const auto& [id, count] : counts.counts[d]) {
      if (final_id[id] < 0) continue;
      weights.emplace_back(
          final_id[id],
          TermWeight(count, counts.df[id], static_cast<double>(n)));
    }
    auto document = std::make_shared<Document>();
    document->slot = static_cast<uint32_t>(d);
    document->language = documents[d].language;
    document->terms = NormalizedTerms(std::move(weights));
    for (const auto& [id, w] : document->terms) {
      triplets.emplace_back(static_cast<int>(d), id, w);
      std::shared_ptr<Postings::Block>& block = blocks[id];
      if (!block || block->size() == kPostingBlock) {
        block = std::make_shared<Postings::Block>();
        lists[id].push_back(block);
      }
      block->emplace_back(document->slot, w);
    }
    out.rows_.push_back(std::move(document));
  }
  postings->lists.reserve(lists.size());
  for (Postings::List& list : lists) {
    postings->lists.push_back(
        std::make_shared<const Postings::List>(std::move(list)));
  }
  postings->next_slot = static_cast<uint32_t>(n);
  out.postings_ = std::move(postings);
  out.row_of_slot_.resize(n);
  std::iota(out.row_of_slot_.begin(), out.row_of_slot_.end(), 0);

  const auto rows = static_cast<Eigen::Index>(n);
  Eigen::SparseMatrix<float, Eigen::ColMajor> tfidf(rows, vocabulary);
  tfidf.setFromTriplets(triplets.begin(), triplets.end());
  tfidf.makeCompressed();
  triplets = {};

  const auto max_by_share = static_cast<Eigen::Index>(
      std::ceil(static_cast<double>(n) * options.rank_share));
  const Eigen::Index r = std::min<Eigen::Index>(
      {static_cast<Eigen::Index>(options.max_rank), max_by_share, vocabulary,
       rows});
  if (r <= 0 || tfidf.nonZeros() == 0) {
    model->basis = Eigen::MatrixXf::Zero(vocabulary, 0);
    model->singular_values = Eigen::VectorXf::Zero(0);
    out.embeddings_ = Eigen::MatrixXf::Zero(rows, 0);
    out.model_ = std::move(model);
    return out;
  }
  TruncatedSvd(tfidf, r, options, model->basis, model->singular_values);
  Eigen::MatrixXf embeddings = tfidf * model->basis;
  NormalizeRows(embeddings);
  out.embeddings_ = embeddings;
  out.model_ = std::move(model);
  return out;
}

LatentText LatentText::Update(const std::vector<Source>& rows,
                              const std::vector<LatentDocument>& documents) const {
  LatentText out;
  if (!model_) {  // no basis yet: build one
    std::vector<LatentDocument> all;
    for (const Source& s : rows) {
      all.push_back(documents[s.index]);  // every row is new
    }
    return Build(all);
  }
  out.model_ = model_;
  const Model& model = *model_;
  auto postings = std::make_shared<Postings>(*postings_);
  // Lists of this update, copied once, and their last block if appended to.
  std::unordered_map<int, std::shared_ptr<Postings::List>> touched;
  std::unordered_map<int, std::shared_ptr<Postings::Block>> last_block;
  auto append = [&](int id, uint32_t slot, float w) {
    std::shared_ptr<Postings::List>& list = touched[id];
    if (!list) list = std::make_shared<Postings::List>(*postings->lists[id]);
    std::shared_ptr<Postings::Block>& block = last_block[id];
    if (!block) {
      if (!list->empty() && list->back()->size() < kPostingBlock) {
        block = std::make_shared<Postings::Block>(*list->back());
        list->back() = block;
      }
    }
    if (!block || block->size() == kPostingBlock) {
      block = std::make_shared<Postings::Block>();
      block->reserve(kPostingBlock);
      list->push_back(block);
    }
    block->emplace_back(slot, w);
  };

  // Documents of the analysis, counted as Build counts them.
  std::vector<std::shared_ptr<const Document>> added(documents.size());
  for (size_t i = 0; i < documents.size(); ++i) {
    const TermCounts counts =
        CountTerms(std::vector<LatentDocument>{documents[i]}, model.options);
    std::vector<std::pair<int, double>> weights;
    for (const auto& [id, count] : counts.counts[0]) {
      auto it = model.id_of.find(counts.terms[id]);
      if (it == model.id_of.end()) continue;
      weights.emplace_back(
          it->second, TermWeight(count, model.df[it->second],
                                 static_cast<double>(model.documents)));
    }
    auto document = std::make_shared<Document>();
    document->slot = postings->next_slot++;
    document->language = documents[i].language;
    document->terms = NormalizedTerms(std::move(weights));
    for (const auto& [id, w] : document->terms) append(id, document->slot, w);
    added[i] = std::move(document);
  }
  for (auto& [id, list] : touched) postings->lists[id] = std::move(list);
  out.postings_ = std::move(postings);

  out.rows_.reserve(rows.size());
  out.embeddings_.resize(static_cast<Eigen::Index>(rows.size()),
                         embeddings_.cols());
  out.row_of_slot_.assign(out.postings_->next_slot, -1);
  size_t kept = 0;
  for (size_t r = 0; r < rows.size();) {
    const auto row = static_cast<Eigen::Index>(r);
    if (rows[r].added) {
      out.rows_.push_back(added[rows[r].index]);
      out.embeddings_.row(row) = Project(out.rows_.back()->terms, model.basis);
      out.row_of_slot_[out.rows_.back()->slot] = static_cast<int32_t>(r);
      ++r;
      continue;
    }
    // A run of kept rows: their embeddings copied as one block.
    size_t length = 0;
    for (; r + length < rows.size() && !rows[r + length].added &&
           rows[r + length].index == rows[r].index + length;
         ++length) {
      out.rows_.push_back(rows_[rows[r].index + length]);
      out.row_of_slot_[out.rows_.back()->slot] =
          static_cast<int32_t>(r + length);
    }
    out.embeddings_.middleRows(row, static_cast<Eigen::Index>(length)) =
        embeddings_.middleRows(static_cast<Eigen::Index>(rows[r].index),
                               static_cast<Eigen::Index>(length));
    kept += length;
    r += length;
  }
  // Added and replaced documents, and removed ones.
  out.changed_ = changed_ + documents.size() + (size() - kept);
  return out;
}

void LatentText::Serialize(std::string& out) const {
  ByteWriter w(out);
  w.Put<uint8_t>(model_ ? 1 : 0);
  if (!model_) return;
  const Model& m = *model_;
  w.Put(m.options);
  w.Put<uint64_t>(m.terms.size());
  for (const std::string& t : m.terms) w.PutString(t);
  w.PutArray(m.df.data(), m.df.size());
  w.Put<uint64_t>(m.documents);
  w.Put<int64_t>(m.basis.cols());
  w.PutArray(m.basis.data(), static_cast<size_t>(m.basis.size()));
  w.PutArray(m.singular_values.data(),
             static_cast<size_t>(m.singular_values.size()));
  w.Put<uint64_t>(changed_);
  w.Put<uint64_t>(rows_.size());
  for (const auto& row : rows_) {
    w.Put<uint32_t>(row->slot);
    w.Put<uint8_t>(static_cast<uint8_t>(row->language));
    w.Put<uint64_t>(row->terms.size());
    for (const auto& [id, weight] : row->terms) {
      w.Put<int32_t>(id);
      w.Put<float>(weight);
    }
  }
  // Row-major: one row of each document after another.
  w.PutArray(embeddings_.data(), static_cast<size_t>(embeddings_.size()));
}

std::optional<LatentText> LatentText::Deserialize(ByteReader& in) {
  LatentText out;
  if (in.Get<uint8_t>() == 0) {
    if (in.ok()) return out;
    return std::nullopt;
  }
  auto model = std::make_shared<Model>();
  model->options = in.Get<LatentTextOptions>();
  const auto vocabulary = in.Get<uint64_t>();
  if (!in.ok() || vocabulary > (1u << 30)) return std::nullopt;
  model->terms.reserve(vocabulary);
  for (uint64_t i = 0; i < vocabulary && in.ok(); ++i) {
    model->terms.push_back(in.GetString());
    model->id_of.emplace(model->terms.back(), static_cast<int>(i));
  }
  in.GetArray(model->df);
  model->documents = in.Get<uint64_t>();
  const auto rank = in.Get<int64_t>();
  if (!in.ok() || model->df.size() != vocabulary || rank < 0 || rank > 4096) {
    return std::nullopt;
  }
  model->basis.resize(static_cast<Eigen::Index>(vocabulary), rank);
  in.GetExactly(model->basis.data(), static_cast<size_t>(model->basis.size()));
  model->singular_values.resize(rank);
  in.GetExactly(model->singular_values.data(), static_cast<size_t>(rank));
  out.changed_ = in.Get<uint64_t>();
  const auto n = in.Get<uint64_t>();
  if (!in.ok() || n > (1u << 30)) return std::nullopt;
  auto postings = std::make_shared<Postings>();
  std::vector<std::shared_ptr<Postings::Block>> blocks(vocabulary);
  std::vector<Postings::List> lists(vocabulary);
  uint32_t next_slot = 0;
  out.rows_.reserve(n);
  for (uint64_t r = 0; r < n && in.ok(); ++r) {
    auto document = std::make_shared<Document>();
    document->slot = in.Get<uint32_t>();
    const auto language = in.Get<uint8_t>();
    const auto terms = in.Get<uint64_t>();
    if (!in.ok() || language >= std::size(kLanguages) || terms > vocabulary) {
      return std::nullopt;
    }
    document->language = kLanguages[language];
    document->terms.resize(terms);
    for (auto& [id, w] : document->terms) {
      id = in.Get<int32_t>();
      w = in.Get<float>();
      if (id < 0 || static_cast<uint64_t>(id) >= vocabulary) return std::nullopt;
    }
    next_slot = std::max(next_slot, document->slot + 1);
    out.rows_.push_back(std::move(document));
  }
  if (!in.ok()) return std::nullopt;
  // Posting lists in slot order, as Build and Update keep them.
  std::vector<std::pair<uint32_t, size_t>> by_slot;
  by_slot.reserve(n);
  for (size_t r = 0; r < out.rows_.size(); ++r) {
    by_slot.emplace_back(out.rows_[r]->slot, r);
  }
  std::sort(by_slot.begin(), by_slot.end());
  out.row_of_slot_.assign(next_slot, -1);
  for (const auto& [slot, r] : by_slot) {
    if (out.row_of_slot_[slot] >= 0) return std::nullopt;  // a slot twice
    out.row_of_slot_[slot] = static_cast<int32_t>(r);
    for (const auto& [id, w] : out.rows_[r]->terms) {
      std::shared_ptr<Postings::Block>& block = blocks[id];
      if (!block || block->size() == kPostingBlock) {
        block = std::make_shared<Postings::Block>();
        lists[id].push_back(block);
      }
      block->emplace_back(slot, w);
    }
  }
  postings->lists.reserve(vocabulary);
  for (Postings::List& list : lists) {
    postings->lists.push_back(
        std::make_shared<const Postings::List>(std::move(list)));
  }
  postings->next_slot = next_slot;
  out.postings_ = std::move(postings);
  out.embeddings_.resize(static_cast<Eigen::Index>(n), rank);
  in.GetExactly(out.embeddings_.data(),
                static_cast<size_t>(out.embeddings_.size()));
  if (!in.ok()) return std::nullopt;
  out.model_ = std::move(model);
  return out;
}

const LatentTextOptions& LatentText::options() const {
  static const LatentTextOptions defaults;
  return model_ ? model_->options : defaults;
}

size_t LatentText::basis_documents() const {
  return model_ ? model_->documents : 0;
}

const std::vector<std::string>& LatentText::terms() const {
  static const std::vector<std::string> none;
  return model_ ? model_->terms : none;
}

const Eigen::MatrixXf& LatentText::basis() const {
  static const Eigen::MatrixXf none;
  return model_ ? model_->basis : none;
}

const Eigen::VectorXf& LatentText::singular_values() const {
  static const Eigen::VectorXf none;
  return model_ ? model_->singular_values : none;
}

const std::vector<std::pair<int, float>>& LatentText::Row(size_t row) const {
  return rows_[row]->terms;
}

float LatentText::Weight(size_t row, int term) const {
  const auto& terms = Row(row);
  auto it = std::lower_bound(terms.begin(), terms.end(),
                             std::pair<int, float>(term, -1e30f));
  return it != terms.end() && it->first == term ? it->second : 0.0f;
}

void LatentText::PrefetchDocument(size_t b) const {
  __builtin_prefetch(rows_[b].get());
}

void LatentText::PrefetchTerms(size_t b) const {
  const std::vector<std::pair<int, float>>& terms = rows_[b]->terms;
  const char* begin = reinterpret_cast<const char*>(terms.data());
  const char* end = reinterpret_cast<const char*>(terms.data() + terms.size());
  for (const char* line = begin; line < end; line += 64) {
    __builtin_prefetch(line);
  }
}

double LatentText::TermCosine(size_t a, size_t b) const {
  const std::vector<std::pair<int, float>>& ra = Row(a);
  const std::vector<std::pair<int, float>>& rb = Row(b);
  double dot = 0;
  for (size_t i = 0, j = 0; i < ra.size() && j < rb.size();) {
    if (ra[i].first < rb[j].first) {
      ++i;
    } else if (rb[j].first < ra[i].first) {
      ++j;
    } else {
      dot += static_cast<double>(ra[i++].second) * rb[j++].second;
    }
  }
  return dot;
}

namespace {
// TermCosines' buffer: zero except while a TermCosines lives.
std::vector<float>& TermWeightBuffer() {
  thread_local std::vector<float> buffer;
  return buffer;
}
}  // namespace

LatentText::TermCosines::TermCosines(const LatentText& latent, size_t a)
    : latent_(latent), a_(a), weights_(TermWeightBuffer()) {
  if (weights_.size() < latent.terms().size()) {
    weights_.resize(latent.terms().size(), 0.0f);
  }
  for (const auto& [id, w] : latent.Row(a)) weights_[id] = w;
}

LatentText::TermCosines::~TermCosines() {
  for (const auto& [id, w] : latent_.Row(a_)) weights_[id] = 0.0f;
}

double LatentText::TermCosines::operator()(size_t b) const {
  // Terms of b that a lacks add 0 and leave the sum as it is.
  double dot = 0;
  for (const auto& [id, w] : latent_.Row(b)) {
    dot += static_cast<double>(weights_[id]) * w;
  }
  return dot;
}

double LatentText::SimilarityFrom(float lsa, double term_cosine) const {
  const double share = options().lsa_share;
  return std::clamp(share * std::max(0.0f, lsa) + (1 - share) * term_cosine,
                    0.0, 1.0);
}

double LatentText::Similarity(size_t a, size_t b) const {
  return SimilarityFrom(LsaCosine(a, b), TermCosine(a, b));
}

Eigen::VectorXf LatentText::SimilarityToAll(size_t a) const {
  const auto ia = static_cast<Eigen::Index>(a);
  const auto n = static_cast<Eigen::Index>(size());
  const float share = static_cast<float>(options().lsa_share);
  Eigen::VectorXf out = Eigen::VectorXf::Zero(n);
  if (rank() > 0) {
    out = (embeddings_ * embeddings_.row(ia).transpose()).cwiseMax(0.0f) *
          share;
  }
  // The TF-IDF cosine through the posting lists of a's terms.
  Eigen::VectorXf terms = Eigen::VectorXf::Zero(n);
  for (const auto& [id, w] : Row(a)) {
    for (const auto& block : *postings_->lists[id]) {
      for (const auto& [slot, v] : *block) {
        const int32_t row = slot < row_of_slot_.size() ? row_of_slot_[slot] : -1;
        if (row >= 0) terms[row] += w * v;
      }
    }
  }
  out += (1 - share) * terms;
  return out.cwiseMax(0.0f).cwiseMin(1.0f);
}

bool LatentText::Explains(int id, const std::vector<std::string>& words) const {
  if (std::all_of(words.begin(), words.end(), [](const std::string& w) {
        return GenericStems().count(w) > 0;
      })) {
    return false;
  }
  const double documents = static_cast<double>(model_->df[id]);
  return documents <= std::max(2.0, kMaxTermDocumentShare *
                                        static_cast<double>(model_->documents));
}

struct LatentText::TextLocator::Analysis {
  AnalyzedText analyzed;
  std::vector<Occurrence> occurrences;
};

LatentText::TextLocator::TextLocator(const LatentText& latent, size_t row,
                                     std::string_view text)
    : latent_(latent), row_(row), text_(text) {}

LatentText::TextLocator::~TextLocator() = default;

bool LatentText::TextLocator::Find(const std::string& key, Evidence& evidence) {
  if (analysis_ == nullptr) {
    analysis_ = std::make_unique<Analysis>();
    analysis_->analyzed =
        TextAnalyzer::Analyze(text_, latent_.rows_[row_]->language);
    analysis_->occurrences = Occurrences(text_, analysis_->analyzed, {},
                                         latent_.options().bigrams);
  }
  const AnalyzedText& analyzed = analysis_->analyzed;
  for (const Occurrence& o : analysis_->occurrences) {
    if (o.key != key) continue;
    const Token& first = analyzed.tokens[o.first];
    const Sentence& sentence = analyzed.sentences[first.sentence];
    evidence.begin = first.begin;
    evidence.end = analyzed.tokens[o.last].end;
    evidence.sentence_begin = sentence.begin;
    evidence.sentence_end = sentence.end;
    evidence.role = Role::kContext;
    return true;
  }
  return false;
}

std::vector<SharedTerm> LatentText::SharedTerms(
    size_t a, size_t b, std::string_view text_a, std::string_view text_b,
    const std::vector<std::string_view>& excluded, size_t max) const {
  TextLocator locator_a(*this, a, text_a);
  TextLocator locator_b(*this, b, text_b);
  return SharedTerms(a, b, locator_a, locator_b, excluded, max);
}

std::vector<SharedTerm> LatentText::SharedTerms(
    size_t a, size_t b, TextLocator& text_a, TextLocator& text_b,
    const std::vector<std::string_view>& excluded, size_t max) const {
  std::unordered_set<std::string> names;
  AddNameStems(excluded, true, rows_[a]->language, names);
  AddNameStems(excluded, true, rows_[b]->language, names);
  // Shared terms by weight.
  std::vector<std::pair<double, int>> shared;
  const auto& ra = Row(a);
  const auto& rb = Row(b);
  for (size_t i = 0, j = 0; i < ra.size() && j < rb.size();) {
    if (ra[i].first < rb[j].first) {
      ++i;
    } else if (rb[j].first < ra[i].first) {
      ++j;
    } else {
      shared.emplace_back(static_cast<double>(ra[i].second) * rb[j].second,
                          ra[i].first);
      ++i;
      ++j;
    }
  }
  std::sort(shared.begin(), shared.end(), [](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first > y.first;
    return x.second < y.second;
  });
  // A term naming either place is left out; a word of a shared bigram is
  // left to the bigram ("sculpture parks" says what "parks" would).
  auto words_of = [](const std::string& key) {
    std::vector<std::string> words;
    for (size_t start = 0; start <= key.size();) {
      const size_t space = std::min(key.find(' ', start), key.size());
      words.push_back(key.substr(start, space - start));
      start = space + 1;
    }
    return words;
  };
  auto names_a_place = [&](const std::vector<std::string>& words) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
      return names.count(w) > 0;
    });
  };
  std::unordered_set<std::string> in_bigrams;
  for (const auto& [weight, id] : shared) {
    const std::vector<std::string> words = words_of(terms()[id]);
    if (words.size() > 1 && !names_a_place(words)) {
      in_bigrams.insert(words.begin(), words.end());
    }
  }
  std::vector<SharedTerm> out;
  for (const auto& [weight, id] : shared) {
    if (out.size() >= max) break;
    // Terms far weaker than the strongest one are common words that happen
    // to be shared, not what drives the match.
    if (!out.empty() && weight < kMinTermShare * out.front().weight) break;
    const std::string& key = terms()[static_cast<size_t>(id)];
    const std::vector<std::string> words = words_of(key);
    if (names_a_place(words) || !Explains(id, words)) continue;
    if (words.size() == 1 && in_bigrams.count(key) > 0) continue;
    SharedTerm term;
    term.weight = weight;
    if (!text_a.Find(key, term.self_evidence) ||
        !text_b.Find(key, term.partner_evidence)) {
      continue;  // not the texts the index was built from
    }
    // One word as part of a name in one text and as a common word in the
    // other differs in sense.
    if (words.size() == 1 &&
        PartOfName(text_a.text(), term.self_evidence) !=
            PartOfName(text_b.text(), term.partner_evidence)) {
      continue;
    }
    term.term = std::string(text_a.text().substr(
        term.self_evidence.begin,
        term.self_evidence.end - term.self_evidence.begin));
    out.push_back(std::move(term));
  }
  return out;
}

}  // namespace pm
