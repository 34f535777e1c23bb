// The match index: an immutable snapshot of the loaded profiles, their
// extracted interests, and the interest vectors the scorer reads.
#ifndef PARTNER_MATCH_ENGINE_MATCHING_MATCH_INDEX_H_
#define PARTNER_MATCH_ENGINE_MATCHING_MATCH_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <Eigen/Core>
#include <boost/iterator/indirect_iterator.hpp>
#include <boost/range/iterator_range.hpp>

#include "absl/status/statusor.h"
#include "engine/common/cancellation.h"
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

// What the hard rules and the ranking loop read of one row, packed in one
// contiguous array (the IndexedProfile entries are shared between snapshots
// and scattered in memory): no pointer is followed per candidate.
struct RowFacts {
  uint32_t country = 0;  // CountryKey(profile.country)
  Language language = Language::kEnglish;  // extraction.language
  bool eu_member = false;
  bool city_like = true;   // IsCityLike(profile.kind)
  bool decided = false;    // some decision names this profile
  bool lists_partners = false;  // profile.known_partners is not empty
};

// A key equal for equal country codes and different for different ones
// (codes of up to four bytes packed exactly; longer ones by fingerprint).
uint32_t CountryKey(std::string_view country);

// How the index is built.
struct IndexOptions {
  // The latent text vectors (see latent_text.h).
  LatentTextOptions latent;
  // Told of each profile's extraction ("extracting themes") and of the
  // latent text index ("building the text index"); null: nothing reported.
  Progress* progress = nullptr;
  // Build stops and returns nullptr once it fires.
  CancellationToken cancel;
};

// Immutable once built: readers share it through
// std::shared_ptr<const MatchIndex>; a writer builds a new one and swaps it
// in. Memory is O(n × T) for n profiles and T themes, plus the latent text
// index (O(N + (n + V) · r), see latent_text.h): no n × n structure.
//
// Snapshots share what does not change: an Update shares every unchanged
// profile (with its extraction), the decision log and the latent basis with
// the snapshot it came from, and copies only the dense rows (n × (3T + r)
// floats, a memcpy) and O(n) pointers.
class MatchIndex {
 public:
  using ProfilePtr = std::shared_ptr<const IndexedProfile>;
  using ProfileRange = boost::iterator_range<
      boost::indirect_iterator<std::vector<ProfilePtr>::const_iterator>>;

  // Builds the index for `profiles` (each already normalised, ids unique)
  // and the coordinators' `decisions` (oldest first; they may name profiles
  // that are not loaded). Extraction runs for every profile whose text is
  // not in `previous` under the same id, and is reused otherwise. Profiles
  // are kept in id order. The latent text index is built from scratch over
  // all profiles (basis and term statistics included), with each place's
  // own name and its country's names left out of its own terms. nullptr
  // when options.cancel fires first.
  static std::shared_ptr<const MatchIndex> Build(
      std::vector<Profile> profiles,
      std::shared_ptr<const ThemeExtractor> extractor,
      const Gazetteer& gazetteer, const MatchIndex* previous = nullptr,
      std::vector<Decision> decisions = {},
      const IndexOptions& options = {});

  // The next snapshot: `previous` with `upserts` (normalised, ids unique;
  // new ids inserted, known ids replaced) and without the ids of `removals`
  // (unknown ones ignored), with the decision log of `log_of` (default:
  // previous's). Extraction runs for the upserts only (reused
  // when text and name are unchanged); their latent rows are folded into
  // the previous basis (LatentText::Update). Cost O(n · (3T + r)) copying
  // plus the upserts' own work; latent().changed_since_basis() says how far
  // the basis has drifted.
  static std::shared_ptr<const MatchIndex> Update(
      const MatchIndex& previous, std::vector<Profile> upserts,
      const std::vector<std::string>& removals, const Gazetteer& gazetteer,
      const MatchIndex* log_of = nullptr);
  // `previous` with another decision log; everything else shared.
  static std::shared_ptr<const MatchIndex> WithDecisions(
      const MatchIndex& previous, std::vector<Decision> decisions);

  // Persistence of what is derived. Serialize appends, for each row, its
  // id, the fingerprint of what its derivation reads (ContentFingerprint)
  // and its extraction, then the latent text index, after a header naming
  // kDerivedFormat and the taxonomy's fingerprint. Restore rebuilds the
  // index of `profiles` (normalised, ids unique) from such bytes: rows
  // whose id and fingerprint match are restored without extraction or
  // analysis; the others are moved to `stale` for the caller to Update
  // with. FAILED_PRECONDITION when the bytes are of another format version
  // or taxonomy, DATA_LOSS when they cannot be read.
  void Serialize(std::string& out) const;
  static absl::StatusOr<std::shared_ptr<const MatchIndex>> Restore(
      std::string_view saved, std::vector<Profile> profiles,
      std::shared_ptr<const ThemeExtractor> extractor,
      const Gazetteer& gazetteer, std::vector<Decision> decisions,
      std::vector<Profile>& stale);
  // What the derivation of `profile` reads: text, name, country.
  static uint64_t ContentFingerprint(const Profile& profile);
  // Bump whenever extraction or the latent text index derive something
  // else from the same input.
  static constexpr uint32_t kDerivedFormat = 2;

  size_t size() const { return profiles_.size(); }
  const IndexedProfile& at(size_t i) const { return *profiles_[i]; }
  // The profiles in id order (row order).
  ProfileRange profiles() const {
    return ProfileRange(profiles_.begin(), profiles_.end());
  }
  // Row i's shared entry: unchanged between snapshots that share it.
  const ProfilePtr& shared_at(size_t i) const { return profiles_[i]; }
  // Row of the profile with this id, or nullopt. O(log n).
  std::optional<size_t> Find(std::string_view id) const;
  // Row of the profile with this id, or NOT_FOUND "no profile with id 'x'",
  // with "; did you mean 'y'?" when an id or a name is a typo or two away
  // (did_you_mean.h; y is always an id). The one wording of that error.
  absl::StatusOr<size_t> Row(std::string_view id) const;

  // The decision log, oldest first.
  const std::vector<Decision>& decisions() const { return decisions_->log; }
  // The decision in force for the unordered pair of ids (the latest one),
  // or nullptr.
  const Decision* LatestDecision(std::string_view a, std::string_view b) const;
  // Row i's facts (a pair of rows can have a decision only when both are
  // `decided`: a bit test, no string built).
  const RowFacts& facts(size_t i) const { return facts_[i]; }

  const ThemeExtractor& extractor() const { return *extractor_; }
  const std::shared_ptr<const ThemeExtractor>& shared_extractor() const {
    return extractor_;
  }
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
  // The names of a loaded country (by code); empty for another.
  std::vector<std::string_view> CountryNamesOf(const std::string& country) const;

 private:
  struct DecisionLog {
    std::vector<Decision> log;
    // Unordered pair key (see PairKey in the .cc) -> index into log.
    std::unordered_map<std::string, size_t> latest;
  };
  using CountryNameMap =
      std::unordered_map<std::string, std::vector<std::string>>;

  MatchIndex() = default;
  static std::shared_ptr<const DecisionLog> MakeLog(
      std::vector<Decision> decisions);
  // Sets facts_ from the profiles and the decision log.
  void IndexFacts();
  // Adds the names of `country` to `names` when missing; true if added.
  static bool AddCountryNames(const std::string& country,
                              const Gazetteer& gazetteer,
                              CountryNameMap& names);

  std::shared_ptr<const ThemeExtractor> extractor_;
  std::vector<ProfilePtr> profiles_;
  std::shared_ptr<const DecisionLog> decisions_;
  std::vector<RowFacts> facts_;  // by row
  Eigen::MatrixXf interest_, offer_, seek_;
  // Country code -> the country's name and aliases (loaded countries only).
  std::shared_ptr<const CountryNameMap> country_names_;
  LatentText latent_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_MATCHING_MATCH_INDEX_H_
