#include "engine/matching/latent_text.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include <Eigen/QR>
#include <Eigen/SVD>

#include "data/bundled_data.h"
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
  // Per document: (provisional id, weighted count).
  std::vector<std::vector<std::pair<int, double>>> counts;
};

TermCounts CountTerms(const std::vector<LatentDocument>& documents,
                      const LatentTextOptions& options) {
  TermCounts out;
  std::unordered_map<std::string, int> provisional;
  out.counts.resize(documents.size());
  for (size_t d = 0; d < documents.size(); ++d) {
    const std::string_view text = documents[d].text;
    std::unordered_set<std::string> names;
    const Language language = documents[d].language;
    AddNameStems(documents[d].own_names, false, language, names);
    AddNameStems(documents[d].country_names, true, language, names);
    const AnalyzedText analyzed = TextAnalyzer::Analyze(text, language);
    std::unordered_map<int, double> local;
    for (const Occurrence& o :
         Occurrences(text, analyzed, names, options.bigrams)) {
      auto [it, inserted] = provisional.emplace(
          o.key, static_cast<int>(out.terms.size()));
      if (inserted) {
        out.terms.push_back(o.key);
        out.df.push_back(0);
      }
      const size_t at = analyzed.tokens[o.first].begin;
      double weight = 1;
      for (const auto& [begin, end] : documents[d].stated) {
        if (begin <= at && at < end) weight = options.stated_weight;
      }
      double& tf = local[it->second];
      if (tf == 0) ++out.df[it->second];
      tf += weight;
    }
    out.counts[d].assign(local.begin(), local.end());
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

LatentText LatentText::Build(const std::vector<LatentDocument>& documents,
                             const LatentTextOptions& options) {
  LatentText out;
  out.options_ = options;
  const size_t n = documents.size();
  for (const LatentDocument& d : documents) out.languages_.push_back(d.language);
  TermCounts counts = CountTerms(documents, options);

  // Kept terms, ids in term order (deterministic whatever the hashing).
  std::vector<int> kept;
  for (int id = 0; id < static_cast<int>(counts.terms.size()); ++id) {
    if (counts.df[id] >= options.min_df) kept.push_back(id);
  }
  std::sort(kept.begin(), kept.end(), [&](int x, int y) {
    return counts.terms[x] < counts.terms[y];
  });
  std::vector<int> final_id(counts.terms.size(), -1);
  out.terms_.reserve(kept.size());
  for (int id : kept) {
    final_id[id] = static_cast<int>(out.terms_.size());
    out.terms_.push_back(std::move(counts.terms[id]));
  }

  // TF-IDF, rows L2-normalised.
  const auto vocabulary = static_cast<Eigen::Index>(out.terms_.size());
  std::vector<Eigen::Triplet<float>> triplets;
  for (size_t d = 0; d < n; ++d) {
    const size_t begin = triplets.size();
    double norm = 0;
    for (const auto& [id, count] : counts.counts[d]) {
      if (final_id[id] < 0) continue;
      const double w =
          TermWeight(count, counts.df[id], static_cast<double>(n));
      norm += w * w;
      triplets.emplace_back(static_cast<int>(d), final_id[id],
                            static_cast<float>(w));
    }
    norm = std::sqrt(norm);
    for (size_t i = begin; i < triplets.size(); ++i) {
      triplets[i] = Eigen::Triplet<float>(
          triplets[i].row(), triplets[i].col(),
          static_cast<float>(triplets[i].value() / norm));
    }
  }
  const auto rows = static_cast<Eigen::Index>(n);
  out.tfidf_.resize(rows, vocabulary);
  out.tfidf_.setFromTriplets(triplets.begin(), triplets.end());
  out.tfidf_.makeCompressed();
  out.rows_ = out.tfidf_;

  const auto max_by_share = static_cast<Eigen::Index>(
      std::ceil(static_cast<double>(n) * options.rank_share));
  const Eigen::Index r = std::min<Eigen::Index>(
      {static_cast<Eigen::Index>(options.max_rank), max_by_share, vocabulary,
       rows});
  if (r <= 0 || out.tfidf_.nonZeros() == 0) {
    out.basis_ = Eigen::MatrixXf::Zero(vocabulary, 0);
    out.singular_values_ = Eigen::VectorXf::Zero(0);
    out.embeddings_ = Eigen::MatrixXf::Zero(rows, 0);
    return out;
  }
  TruncatedSvd(out.tfidf_, r, options, out.basis_, out.singular_values_);
  out.embeddings_ = out.tfidf_ * out.basis_;
  NormalizeRows(out.embeddings_);
  return out;
}

std::vector<std::pair<int, float>> LatentText::Row(size_t row) const {
  std::vector<std::pair<int, float>> out;
  for (Eigen::SparseMatrix<float, Eigen::RowMajor>::InnerIterator it(
           rows_, static_cast<Eigen::Index>(row));
       it; ++it) {
    out.emplace_back(static_cast<int>(it.col()), it.value());
  }
  return out;
}

double LatentText::TermCosine(size_t a, size_t b) const {
  // A merge of the two rows' sorted terms, in place (no copy: this runs
  // for every pair a plan or a ranking scores).
  using It = Eigen::SparseMatrix<float, Eigen::RowMajor>::InnerIterator;
  It i(rows_, static_cast<Eigen::Index>(a));
  It j(rows_, static_cast<Eigen::Index>(b));
  double dot = 0;
  while (i && j) {
    if (i.col() < j.col()) {
      ++i;
    } else if (j.col() < i.col()) {
      ++j;
    } else {
      dot += static_cast<double>(i.value()) * j.value();
      ++i;
      ++j;
    }
  }
  return dot;
}

double LatentText::Similarity(size_t a, size_t b) const {
  const auto ia = static_cast<Eigen::Index>(a);
  const auto ib = static_cast<Eigen::Index>(b);
  double lsa = 0;
  if (rank() > 0) {
    lsa = std::max(0.0f, embeddings_.row(ia).dot(embeddings_.row(ib)));
  }
  const double share = options_.lsa_share;
  return std::clamp(share * lsa + (1 - share) * TermCosine(a, b), 0.0, 1.0);
}

Eigen::VectorXf LatentText::SimilarityToAll(size_t a) const {
  const auto ia = static_cast<Eigen::Index>(a);
  const float share = static_cast<float>(options_.lsa_share);
  Eigen::VectorXf out = Eigen::VectorXf::Zero(tfidf_.rows());
  if (rank() > 0) {
    out = (embeddings_ * embeddings_.row(ia).transpose()).cwiseMax(0.0f) *
          share;
  }
  // The TF-IDF cosine through the posting lists of a's terms.
  Eigen::VectorXf terms = Eigen::VectorXf::Zero(tfidf_.rows());
  for (Eigen::SparseMatrix<float, Eigen::RowMajor>::InnerIterator it(rows_, ia);
       it; ++it) {
    const float w = it.value();
    for (Eigen::SparseMatrix<float>::InnerIterator post(tfidf_, it.col());
         post; ++post) {
      terms[post.row()] += w * post.value();
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
  const double documents = static_cast<double>(tfidf_.col(id).nonZeros());
  return documents <=
         std::max(2.0, kMaxTermDocumentShare * static_cast<double>(size()));
}

std::vector<SharedTerm> LatentText::SharedTerms(
    size_t a, size_t b, std::string_view text_a, std::string_view text_b,
    const std::vector<std::string_view>& excluded, size_t max) const {
  std::unordered_set<std::string> names;
  AddNameStems(excluded, true, languages_[a], names);
  AddNameStems(excluded, true, languages_[b], names);
  // Shared terms by weight.
  std::vector<std::pair<double, int>> shared;
  const auto ra = Row(a);
  const auto rb = Row(b);
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
  // Where each term stands in either text.
  const AnalyzedText analyzed_a = TextAnalyzer::Analyze(text_a, languages_[a]);
  const AnalyzedText analyzed_b = TextAnalyzer::Analyze(text_b, languages_[b]);
  const std::vector<Occurrence> occ_a =
      Occurrences(text_a, analyzed_a, {}, options_.bigrams);
  const std::vector<Occurrence> occ_b =
      Occurrences(text_b, analyzed_b, {}, options_.bigrams);
  auto find = [](const std::vector<Occurrence>& occurrences,
                 const AnalyzedText& analyzed, const std::string& key,
                 Evidence& evidence) {
    for (const Occurrence& o : occurrences) {
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
  };
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
    const std::vector<std::string> words = words_of(terms_[id]);
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
    const std::string& key = terms_[static_cast<size_t>(id)];
    const std::vector<std::string> words = words_of(key);
    if (names_a_place(words) || !Explains(id, words)) continue;
    if (words.size() == 1 && in_bigrams.count(key) > 0) continue;
    SharedTerm term;
    term.weight = weight;
    if (!find(occ_a, analyzed_a, key, term.self_evidence) ||
        !find(occ_b, analyzed_b, key, term.partner_evidence)) {
      continue;  // not the texts the index was built from
    }
    // One word as part of a name in one text and as a common word in the
    // other differs in sense.
    if (words.size() == 1 &&
        PartOfName(text_a, term.self_evidence) !=
            PartOfName(text_b, term.partner_evidence)) {
      continue;
    }
    term.term = std::string(text_a.substr(
        term.self_evidence.begin,
        term.self_evidence.end - term.self_evidence.begin));
    out.push_back(std::move(term));
  }
  return out;
}

}  // namespace pm
