// The match index: an immutable snapshot of the loaded profiles, their
// extracted interests, and the interest vectors the scorer reads.
#ifndef PARTNER_MATCH_ENGINE_MATCHING_MATCH_INDEX_H_
#define PARTNER_MATCH_ENGINE_MATCHING_MATCH_INDEX_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <Eigen/Core>

#include "absl/status/statusor.h"
#include "engine/common/progress.h"
#include "engine/extraction/theme_extractor.h"
#include "engine/geo/gazetteer.h"
#include "engine/matching/latent_text.h"
#include "engine/model/decision.h"
#include "engine/model/profile.h"

namespace pm {

// A profile with what the engine derived from it.
struct IndexedProfile {
  Profile profile;
  Extraction extraction;
  bool eu_member = false;    // as given, or from the country
  std::string world_region;  // as given, or from the country
};

// How the index is built.
struct IndexOptions {
  // The latent text vectors (see latent_text.h).
  LatentTextOptions latent;
  // Told of each profile's extraction ("extracting themes") and of the
  // latent text index ("building the text index"); null: nothing reported.
  Progress* progress = nullptr;
};

// Immutable once built: readers share it through
// std::shared_ptr<const MatchIndex>; a writer builds a new one and swaps it
// in. Memory is O(n × T) for n profiles and T themes, plus the latent text
// index (O(N + (n + V) · r), see latent_text.h): no n × n structure.
class MatchIndex {
 public:
  // Builds the index for `profiles` (each already normalised, ids unique)
  // and the coordinators' `decisions` (oldest first; they may name profiles
  // that are not loaded). Extraction runs for every profile whose text is
  // not in `previous` under the same id, and is reused otherwise. Profiles
  // are kept in id order. The latent text index is built from scratch over
  // all profiles (an upsert costs a rebuild: see latent_text.h), with each
  // place's own name and its country's names left out of its own terms.
  static std::shared_ptr<const MatchIndex> Build(
      std::vector<Profile> profiles,
      std::shared_ptr<const ThemeExtractor> extractor,
      const Gazetteer& gazetteer, const MatchIndex* previous = nullptr,
      std::vector<Decision> decisions = {},
      const IndexOptions& options = {});

  size_t size() const { return profiles_.size(); }
  const IndexedProfile& at(size_t i) const { return profiles_[i]; }
  const std::vector<IndexedProfile>& profiles() const { return profiles_; }
  // Row of the profile with this id, or nullopt.
  std::optional<size_t> Find(std::string_view id) const;
  // Row of the profile with this id, or NOT_FOUND "no profile with id 'x'",
  // with "; did you mean 'y'?" when an id or a name is a typo or two away
  // (did_you_mean.h; y is always an id). The one wording of that error.
  absl::StatusOr<size_t> Row(std::string_view id) const;

  // The decision log, oldest first.
  const std::vector<Decision>& decisions() const { return decisions_; }
  // The decision in force for the unordered pair of ids (the latest one),
  // or nullptr.
  const Decision* LatestDecision(std::string_view a, std::string_view b) const;

  const ThemeExtractor& extractor() const { return *extractor_; }
  const Taxonomy& taxonomy() const { return extractor_->taxonomy(); }

  // n × T, row i = profiles()[i], column t = taxonomy theme t; rows are
  // L2-normalised (all-zero rows stay zero).
  // interest: every theme's weight, whatever its role.
  const Eigen::MatrixXf& interest() const { return interest_; }
  // offer: weights of themes offered (offer, both), plus context themes at
  // kContextOfferShare of their weight (a port economy can share port know-how).
  const Eigen::MatrixXf& offer() const { return offer_; }
  // seek: weights of themes sought (seek, both).
  const Eigen::MatrixXf& seek() const { return seek_; }

  static constexpr float kContextOfferShare = 0.5f;

  // The latent text vectors; row i = profiles()[i].
  const LatentText& latent() const { return latent_; }
  // The names that are not topics of profile i: its own name, then its
  // country's name and aliases.
  std::vector<std::string_view> OwnNames(size_t i) const;
  // Its country's name and aliases alone.
  std::vector<std::string_view> CountryNames(size_t i) const;

 private:
  MatchIndex() = default;

  std::shared_ptr<const ThemeExtractor> extractor_;
  std::vector<IndexedProfile> profiles_;
  std::unordered_map<std::string, size_t> row_of_;
  std::vector<Decision> decisions_;
  // Unordered pair key (see PairKey in the .cc) -> index into decisions_.
  std::unordered_map<std::string, size_t> latest_decision_;
  Eigen::MatrixXf interest_, offer_, seek_;
  // Country code -> the country's name and aliases (loaded countries only).
  std::unordered_map<std::string, std::vector<std::string>> country_names_;
  LatentText latent_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_MATCHING_MATCH_INDEX_H_
