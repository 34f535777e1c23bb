#include "engine/matching/match_index.h"

#include <algorithm>
#include <utility>

#include "engine/io/profile_format.h"

namespace pm {
namespace {

// Writes `extraction` as row `row` of the three matrices, L2-normalised.
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
  for (Eigen::MatrixXf* m : {&interest, &offer, &seek}) {
    const float norm = m->row(row).norm();
    if (norm > 0) m->row(row) /= norm;
  }
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
    std::vector<Decision> decisions) {
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
  for (Profile& profile : profiles) {
    IndexedProfile entry;
    entry.eu_member = IsEuMember(profile, gazetteer);
    entry.world_region = WorldRegion(profile, gazetteer);
    std::optional<size_t> old =
        previous ? previous->Find(profile.id) : std::nullopt;
    if (old && previous->at(*old).profile.text == profile.text) {
      entry.extraction = previous->at(*old).extraction;
    } else {
      entry.extraction = index->extractor_->Extract(profile.text);
    }
    entry.profile = std::move(profile);
    const Eigen::Index row = static_cast<Eigen::Index>(index->profiles_.size());
    FillRows(entry.extraction, row, index->interest_, index->offer_,
             index->seek_);
    index->row_of_.emplace(entry.profile.id, index->profiles_.size());
    index->profiles_.push_back(std::move(entry));
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

std::optional<size_t> MatchIndex::Find(std::string_view id) const {
  auto it = row_of_.find(std::string(id));
  if (it == row_of_.end()) return std::nullopt;
  return it->second;
}

}  // namespace pm
