#include "engine/matching/match_index.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/common/quote.h"
#include "engine/geo/membership.h"
#include "engine/model/did_you_mean.h"

namespace pm {
namespace {

// Writes `extraction` as row `row` of the three matrices.
void FillRows(const Extraction& extraction, Eigen::Index row,
              Eigen::MatrixXf& interest, Eigen::MatrixXf& offer,
              Eigen::MatrixXf& seek) {
  for (const ThemeInterest& t : extraction.themes) {
    const float w = static_cast<float>(t.weight);
    interest(row, t.theme) = w;
    if (Offers(t.role)) {
      offer(row, t.theme) = w;
    } else if (t.role == Role::kContext) {
      offer(row, t.theme) = MatchIndex::kContextOfferShare * w;
    }
    if (Seeks(t.role)) seek(row, t.theme) = w;
  }
}

// L2-normalises every row of the three matrices (all-zero rows stay zero).
void NormaliseRows(Eigen::MatrixXf& interest, Eigen::MatrixXf& offer,
                   Eigen::MatrixXf& seek) {
  for (Eigen::MatrixXf* m : {&interest, &offer, &seek}) {
    for (Eigen::Index row = 0; row < m->rows(); ++row) {
      const float norm = m->row(row).norm();
      if (norm > 0) m->row(row) /= norm;
    }
  }
}

// The documents of the latent text index, row i = index.at(i): the text,
// the place's own and country names, and the sentences of its offer and
// seek evidence as the sentences that state an interest or a strength.
std::vector<LatentDocument> LatentDocuments(const MatchIndex& index) {
  std::vector<LatentDocument> documents(index.size());
  for (size_t i = 0; i < documents.size(); ++i) {
    const IndexedProfile& entry = index.at(i);
    documents[i].text = entry.profile.text;
    documents[i].language = entry.extraction.language;
    documents[i].own_names = {entry.profile.name};
    documents[i].country_names = index.CountryNames(i);
    for (const ThemeInterest& theme : entry.extraction.themes) {
      for (const Evidence& e : theme.evidence) {
        if (e.role != Role::kContext) {
          documents[i].stated.emplace_back(e.sentence_begin, e.sentence_end);
        }
      }
    }
  }
  return documents;
}

// A key for the unordered pair {a, b}; ids never contain '\n'.
std::string PairKey(std::string_view a, std::string_view b) {
  if (b < a) std::swap(a, b);
  std::string key(a);
  key += '\n';
  key += b;
  return key;
}

}  // namespace

std::shared_ptr<const MatchIndex> MatchIndex::Build(
    std::vector<Profile> profiles,
    std::shared_ptr<const ThemeExtractor> extractor,
    const Gazetteer& gazetteer, const MatchIndex* previous,
    std::vector<Decision> decisions, const IndexOptions& options) {
  std::sort(profiles.begin(), profiles.end(),
            [](const Profile& a, const Profile& b) { return a.id < b.id; });
  std::shared_ptr<MatchIndex> index(new MatchIndex());
  index->extractor_ = std::move(extractor);
  const Eigen::Index n = static_cast<Eigen::Index>(profiles.size());
  const Eigen::Index t = index->taxonomy().size();
  index->interest_ = Eigen::MatrixXf::Zero(n, t);
  index->offer_ = Eigen::MatrixXf::Zero(n, t);
  index->seek_ = Eigen::MatrixXf::Zero(n, t);
  // Reuse an earlier extraction only when it came from the same extractor.
  if (previous != nullptr && previous->extractor_ != index->extractor_) {
    previous = nullptr;
  }
  index->profiles_.reserve(profiles.size());
  index->row_of_.reserve(profiles.size());
  auto extracting = std::make_unique<ProgressTask>(
      options.progress, "extracting themes", profiles.size());
  for (Profile& profile : profiles) {
    IndexedProfile entry;
    entry.eu_member = IsEuMember(profile, gazetteer);
    entry.world_region = WorldRegion(profile, gazetteer);
    std::optional<size_t> old =
        previous ? previous->Find(profile.id) : std::nullopt;
    if (old && previous->at(*old).profile.text == profile.text &&
        previous->at(*old).profile.name == profile.name) {
      entry.extraction = previous->at(*old).extraction;
    } else {
      entry.extraction = index->extractor_->Extract(profile.text, profile.name);
    }
    entry.profile = std::move(profile);
    const Eigen::Index row = static_cast<Eigen::Index>(index->profiles_.size());
    FillRows(entry.extraction, row, index->interest_, index->offer_,
             index->seek_);
    index->row_of_.emplace(entry.profile.id, index->profiles_.size());
    if (index->country_names_.count(entry.profile.country) == 0) {
      std::vector<std::string>& names =
          index->country_names_[entry.profile.country];
      if (const Country* country = gazetteer.Find(entry.profile.country)) {
        names.push_back(country->name);
        names.insert(names.end(), country->aliases.begin(),
                     country->aliases.end());
      }
    }
    index->profiles_.push_back(std::move(entry));
    extracting->Step();
  }
  extracting.reset();
  NormaliseRows(index->interest_, index->offer_, index->seek_);
  {
    ProgressTask latent(options.progress, "building the text index", 1);
    index->latent_ = LatentText::Build(LatentDocuments(*index), options.latent);
    latent.Step();
  }
  index->decisions_ = std::move(decisions);
  for (size_t i = 0; i < index->decisions_.size(); ++i) {
    const Decision& d = index->decisions_[i];
    index->latest_decision_[PairKey(d.profile_id, d.partner_id)] = i;
  }
  return index;
}

const Decision* MatchIndex::LatestDecision(std::string_view a,
                                           std::string_view b) const {
  auto it = latest_decision_.find(PairKey(a, b));
  return it == latest_decision_.end() ? nullptr : &decisions_[it->second];
}

std::vector<std::string_view> MatchIndex::CountryNames(size_t i) const {
  std::vector<std::string_view> names;
  auto it = country_names_.find(profiles_[i].profile.country);
  if (it != country_names_.end()) {
    names.assign(it->second.begin(), it->second.end());
  }
  return names;
}

std::vector<std::string_view> MatchIndex::OwnNames(size_t i) const {
  std::vector<std::string_view> names = {profiles_[i].profile.name};
  const std::vector<std::string_view> country = CountryNames(i);
  names.insert(names.end(), country.begin(), country.end());
  return names;
}

std::optional<size_t> MatchIndex::Find(std::string_view id) const {
  auto it = row_of_.find(std::string(id));
  if (it == row_of_.end()) return std::nullopt;
  return it->second;
}

absl::StatusOr<size_t> MatchIndex::Row(std::string_view id) const {
  if (std::optional<size_t> row = Find(id)) return *row;
  std::string message = absl::StrCat("no profile with id ", QuoteInput(id));
  // Ids and names side by side: candidate 2i is row i's id, 2i + 1 its name.
  std::vector<std::string_view> candidates;
  candidates.reserve(2 * profiles_.size());
  for (const IndexedProfile& p : profiles_) {
    candidates.push_back(p.profile.id);
    candidates.push_back(p.profile.name);
  }
  if (std::optional<size_t> near = Nearest(id, candidates)) {
    absl::StrAppend(&message, "; did you mean '",
                    profiles_[*near / 2].profile.id, "'?");
  }
  return absl::NotFoundError(message);
}

}  // namespace pm
