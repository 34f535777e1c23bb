#include "engine/matching/match_index.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/common/byte_io.h"
#include "engine/common/parallel_for.h"
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

// L2-normalises rows [begin, end) of the three matrices (all-zero rows stay
// zero).
void NormaliseRows(Eigen::MatrixXf& interest, Eigen::MatrixXf& offer,
                   Eigen::MatrixXf& seek, Eigen::Index begin,
                   Eigen::Index end) {
  for (Eigen::MatrixXf* m : {&interest, &offer, &seek}) {
    for (Eigen::Index row = begin; row < end; ++row) {
      const float norm = m->row(row).norm();
      if (norm > 0) m->row(row) /= norm;
    }
  }
}

// The document of the latent text index for `entry` with its country's
// `country_names`: the text, the place's own and country names, and the
// sentences of its offer and seek evidence as the sentences that state an
// interest or a strength.
LatentDocument LatentDocumentOf(const IndexedProfile& entry,
                                std::vector<std::string_view> country_names) {
  LatentDocument document;
  document.text = entry.profile.text;
  document.language = entry.extraction.language;
  document.own_names = {entry.profile.name};
  document.country_names = std::move(country_names);
  for (const ThemeInterest& theme : entry.extraction.themes) {
    for (const Evidence& e : theme.evidence) {
      if (e.role != Role::kContext) {
        document.stated.emplace_back(e.sentence_begin, e.sentence_end);
      }
    }
  }
  return document;
}

// A key for the unordered pair {a, b}; ids never contain '\n'.
std::string PairKey(std::string_view a, std::string_view b) {
  if (b < a) std::swap(a, b);
  std::string key(a);
  key += '\n';
  key += b;
  return key;
}

// The entry of `profile`: its extraction reused from `previous` (same id,
// text and name) or computed now.
std::shared_ptr<const IndexedProfile> MakeEntry(
    Profile profile, const ThemeExtractor& extractor, const Gazetteer& gazetteer,
    const MatchIndex* previous) {
  auto entry = std::make_shared<IndexedProfile>();
  entry->eu_member = IsEuMember(profile, gazetteer);
  entry->world_region = WorldRegion(profile, gazetteer);
  std::optional<size_t> old =
      previous ? previous->Find(profile.id) : std::nullopt;
  if (old && previous->at(*old).profile.text == profile.text &&
      previous->at(*old).profile.name == profile.name) {
    entry->extraction = previous->at(*old).extraction;
  } else {
    entry->extraction = extractor.Extract(profile.text, profile.name);
  }
  entry->profile = std::move(profile);
  return entry;
}

}  // namespace

std::shared_ptr<const MatchIndex::DecisionLog> MatchIndex::MakeLog(
    std::vector<Decision> decisions) {
  auto log = std::make_shared<DecisionLog>();
  log->log = std::move(decisions);
  for (size_t i = 0; i < log->log.size(); ++i) {
    const Decision& d = log->log[i];
    log->latest[PairKey(d.profile_id, d.partner_id)] = i;
  }
  return log;
}

bool MatchIndex::AddCountryNames(const std::string& country,
                                 const Gazetteer& gazetteer,
                                 CountryNameMap& names) {
  if (names.count(country) > 0) return false;
  std::vector<std::string>& out = names[country];
  if (const Country* c = gazetteer.Find(country)) {
    out.push_back(c->name);
    out.insert(out.end(), c->aliases.begin(), c->aliases.end());
  }
  return true;
}

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
  auto country_names = std::make_shared<CountryNameMap>();
  for (const Profile& profile : profiles) {
    AddCountryNames(profile.country, gazetteer, *country_names);
  }
  // Extraction, the bulk of a build, on every core.
  index->profiles_.resize(profiles.size());
  auto extracting = std::make_unique<ProgressTask>(
      options.progress, "extracting themes", profiles.size());
  const bool extracted = ParallelFor(
      profiles.size(), 64,
      [&](size_t i) {
        if (options.cancel.Cancelled()) return false;
        index->profiles_[i] = MakeEntry(std::move(profiles[i]),
                                        *index->extractor_, gazetteer, previous);
        return true;
      },
      [&](size_t done) { extracting->Done(done); });
  if (!extracted) return nullptr;
  extracting->Done(profiles.size());
  for (size_t i = 0; i < index->profiles_.size(); ++i) {
    FillRows(index->profiles_[i]->extraction, static_cast<Eigen::Index>(i),
             index->interest_, index->offer_, index->seek_);
  }
  extracting.reset();
  index->country_names_ = std::move(country_names);
  NormaliseRows(index->interest_, index->offer_, index->seek_, 0, n);
  std::vector<LatentDocument> documents;
  documents.reserve(index->profiles_.size());
  for (size_t i = 0; i < index->profiles_.size(); ++i) {
    documents.push_back(
        LatentDocumentOf(index->at(i), index->CountryNames(i)));
  }
  {
    ProgressTask latent(options.progress, "building the text index", 1);
    index->latent_ =
        LatentText::Build(documents, options.latent, options.cancel);
    if (options.cancel.Cancelled()) return nullptr;
    latent.Step();
  }
  index->decisions_ = MakeLog(std::move(decisions));
  index->IndexFacts();
  return index;
}

std::shared_ptr<const MatchIndex> MatchIndex::Update(
    const MatchIndex& previous, std::vector<Profile> upserts,
    const std::vector<std::string>& removals, const Gazetteer& gazetteer,
    const MatchIndex* log_of) {
  std::sort(upserts.begin(), upserts.end(),
            [](const Profile& a, const Profile& b) { return a.id < b.id; });
  std::vector<std::string_view> removed(removals.begin(), removals.end());
  std::sort(removed.begin(), removed.end());
  std::shared_ptr<MatchIndex> index(new MatchIndex());
  index->extractor_ = previous.extractor_;
  index->decisions_ = (log_of ? *log_of : previous).decisions_;
  index->country_names_ = previous.country_names_;
  std::shared_ptr<CountryNameMap> names;  // copied on the first new country
  for (const Profile& p : upserts) {
    if (previous.country_names_->count(p.country) > 0) continue;
    if (!names) {
      names = std::make_shared<CountryNameMap>(*previous.country_names_);
    }
    AddCountryNames(p.country, gazetteer, *names);
  }
  if (names) index->country_names_ = std::move(names);
  std::vector<ProfilePtr> added;
  added.reserve(upserts.size());
  for (Profile& p : upserts) {
    added.push_back(
        MakeEntry(std::move(p), *index->extractor_, gazetteer, &previous));
  }

  // Merge by id: rows kept from `previous` and rows added.
  std::vector<LatentText::Source> sources;
  sources.reserve(previous.size() + added.size());
  index->profiles_.reserve(previous.size() + added.size());
  for (size_t i = 0, j = 0; i < previous.size() || j < added.size();) {
    const std::string* old_id =
        i < previous.size() ? &previous.at(i).profile.id : nullptr;
    if (j < added.size() &&
        (old_id == nullptr || added[j]->profile.id <= *old_id)) {
      if (old_id != nullptr && added[j]->profile.id == *old_id) ++i;
      sources.push_back({true, j});
      index->profiles_.push_back(added[j++]);
      continue;
    }
    if (!std::binary_search(removed.begin(), removed.end(),
                            std::string_view(*old_id))) {
      sources.push_back({false, i});
      index->profiles_.push_back(previous.profiles_[i]);
    }
    ++i;
  }

  // Dense rows: runs of kept rows copied as blocks, added rows filled.
  const auto n = static_cast<Eigen::Index>(sources.size());
  const Eigen::Index t = previous.interest_.cols();
  index->interest_.resize(n, t);
  index->offer_.resize(n, t);
  index->seek_.resize(n, t);
  for (Eigen::Index r = 0; r < n;) {
    const LatentText::Source& s = sources[static_cast<size_t>(r)];
    if (s.added) {
      index->interest_.row(r).setZero();
      index->offer_.row(r).setZero();
      index->seek_.row(r).setZero();
      FillRows(added[s.index]->extraction, r, index->interest_, index->offer_,
               index->seek_);
      NormaliseRows(index->interest_, index->offer_, index->seek_, r, r + 1);
      ++r;
      continue;
    }
    Eigen::Index length = 1;
    while (r + length < n && !sources[static_cast<size_t>(r + length)].added &&
           sources[static_cast<size_t>(r + length)].index ==
               s.index + static_cast<size_t>(length)) {
      ++length;
    }
    const auto from = static_cast<Eigen::Index>(s.index);
    index->interest_.middleRows(r, length) =
        previous.interest_.middleRows(from, length);
    index->offer_.middleRows(r, length) = previous.offer_.middleRows(from, length);
    index->seek_.middleRows(r, length) = previous.seek_.middleRows(from, length);
    r += length;
  }

  std::vector<LatentDocument> documents;
  documents.reserve(added.size());
  for (const ProfilePtr& entry : added) {
    documents.push_back(LatentDocumentOf(
        *entry, index->CountryNamesOf(entry->profile.country)));
  }
  index->latent_ = previous.latent_.Update(sources, documents);
  index->IndexFacts();
  return index;
}

std::shared_ptr<const MatchIndex> MatchIndex::WithDecisions(
    const MatchIndex& previous, std::vector<Decision> decisions) {
  std::shared_ptr<MatchIndex> index(new MatchIndex(previous));
  index->decisions_ = MakeLog(std::move(decisions));
  index->IndexFacts();
  return index;
}

namespace {

uint64_t TaxonomyFingerprint(const Taxonomy& taxonomy) {
  uint64_t h = Fingerprint64("taxonomy");
  auto add = [&](std::string_view s) {
    h = Fingerprint64(s, h);
    h = Fingerprint64(std::string_view("\0", 1), h);
  };
  for (const Theme& theme : taxonomy.themes()) add(theme.id);
  for (Language language : taxonomy.languages()) {
    add(LanguageCode(language));
    for (int t = 0; t < taxonomy.size(); ++t) {
      for (bool weak : {false, true}) {
        for (const std::string& p : taxonomy.Phrases(t, language, weak)) add(p);
        add(weak ? "#" : "|");
      }
    }
    for (const std::string& c : taxonomy.OfferCues(language)) add(c);
    add("#");
    for (const std::string& c : taxonomy.SeekCues(language)) add(c);
    add("#");
  }
  return h;
}

void PutExtraction(ByteWriter& w, const Extraction& extraction) {
  w.Put<uint8_t>(static_cast<uint8_t>(extraction.language));
  w.Put<uint32_t>(static_cast<uint32_t>(extraction.themes.size()));
  for (const ThemeInterest& t : extraction.themes) {
    w.Put<int32_t>(t.theme);
    w.Put<double>(t.weight);
    w.Put<uint8_t>(static_cast<uint8_t>(t.role));
    w.Put<uint32_t>(static_cast<uint32_t>(t.evidence.size()));
    for (const Evidence& e : t.evidence) {
      w.Put<uint64_t>(e.begin);
      w.Put<uint64_t>(e.end);
      w.Put<uint64_t>(e.sentence_begin);
      w.Put<uint64_t>(e.sentence_end);
      w.Put<uint8_t>(static_cast<uint8_t>(e.role));
      w.Put<uint8_t>(e.weak ? 1 : 0);
    }
  }
}

bool GetExtraction(ByteReader& in, int themes, size_t text_size,
                   Extraction& out) {
  const auto language = in.Get<uint8_t>();
  const auto count = in.Get<uint32_t>();
  if (!in.ok() || language >= std::size(kLanguages) ||
      count > static_cast<uint32_t>(themes)) {
    return false;
  }
  out.language = kLanguages[language];
  out.themes.resize(count);
  for (ThemeInterest& t : out.themes) {
    t.theme = in.Get<int32_t>();
    t.weight = in.Get<double>();
    const auto role = in.Get<uint8_t>();
    const auto evidence = in.Get<uint32_t>();
    if (!in.ok() || t.theme < 0 || t.theme >= themes || role > 3 ||
        evidence > text_size + 1) {
      return false;
    }
    t.role = static_cast<Role>(role);
    t.evidence.resize(evidence);
    for (Evidence& e : t.evidence) {
      e.begin = in.Get<uint64_t>();
      e.end = in.Get<uint64_t>();
      e.sentence_begin = in.Get<uint64_t>();
      e.sentence_end = in.Get<uint64_t>();
      const auto evidence_role = in.Get<uint8_t>();
      e.weak = in.Get<uint8_t>() != 0;
      if (!in.ok() || evidence_role > 3 || e.end > text_size ||
          e.sentence_end > text_size) {
        return false;
      }
      e.role = static_cast<Role>(evidence_role);
    }
  }
  return in.ok();
}

}  // namespace

uint64_t MatchIndex::ContentFingerprint(const Profile& profile) {
  uint64_t h = Fingerprint64(profile.text);
  h = Fingerprint64(std::string_view("\0", 1), h);
  h = Fingerprint64(profile.name, h);
  h = Fingerprint64(std::string_view("\0", 1), h);
  return Fingerprint64(profile.country, h);
}

void MatchIndex::Serialize(std::string& out) const {
  ByteWriter w(out);
  w.Put<uint32_t>(kDerivedFormat);
  w.Put<uint64_t>(TaxonomyFingerprint(taxonomy()));
  w.Put<uint64_t>(profiles_.size());
  for (const ProfilePtr& p : profiles_) {
    w.PutString(p->profile.id);
    w.Put<uint64_t>(ContentFingerprint(p->profile));
    PutExtraction(w, p->extraction);
  }
  latent_.Serialize(out);
}

absl::StatusOr<std::shared_ptr<const MatchIndex>> MatchIndex::Restore(
    std::string_view saved, std::vector<Profile> profiles,
    std::shared_ptr<const ThemeExtractor> extractor,
    const Gazetteer& gazetteer, std::vector<Decision> decisions,
    std::vector<Profile>& stale) {
  ByteReader in(saved);
  const auto format = in.Get<uint32_t>();
  const auto taxonomy = in.Get<uint64_t>();
  if (!in.ok()) return absl::DataLossError("too short");
  if (format != kDerivedFormat) {
    return absl::FailedPreconditionError(absl::StrCat(
        "written in format ", format, ", this program writes ", kDerivedFormat));
  }
  if (taxonomy != TaxonomyFingerprint(extractor->taxonomy())) {
    return absl::FailedPreconditionError("derived with another taxonomy");
  }
  std::sort(profiles.begin(), profiles.end(),
            [](const Profile& a, const Profile& b) { return a.id < b.id; });
  const auto saved_rows = in.Get<uint64_t>();
  if (!in.ok() || saved_rows > (1u << 30)) return absl::DataLossError("bad row count");
  std::shared_ptr<MatchIndex> index(new MatchIndex());
  index->extractor_ = std::move(extractor);
  const int themes = index->taxonomy().size();
  std::vector<LatentText::Source> sources;
  auto country_names = std::make_shared<CountryNameMap>();
  size_t next = 0;  // into profiles
  std::string last_id;
  for (uint64_t r = 0; r < saved_rows; ++r) {
    std::string id = in.GetString();
    const auto fingerprint = in.Get<uint64_t>();
    if (!in.ok() || (r > 0 && id <= last_id)) {
      return absl::DataLossError("rows out of order");
    }
    while (next < profiles.size() && profiles[next].id < id) {
      stale.push_back(std::move(profiles[next++]));
    }
    const bool match = next < profiles.size() && profiles[next].id == id &&
                       ContentFingerprint(profiles[next]) == fingerprint;
    auto entry = std::make_shared<IndexedProfile>();
    const size_t text_size = match ? profiles[next].text.size() : SIZE_MAX / 2;
    if (!GetExtraction(in, themes, text_size, entry->extraction)) {
      return absl::DataLossError(absl::StrCat("row ", r, " ('", id, "')"));
    }
    last_id = std::move(id);
    if (!match) continue;  // stale or gone: a later Update gives its row
    Profile& profile = profiles[next++];
    AddCountryNames(profile.country, gazetteer, *country_names);
    entry->eu_member = IsEuMember(profile, gazetteer);
    entry->world_region = WorldRegion(profile, gazetteer);
    entry->profile = std::move(profile);
    sources.push_back({false, static_cast<size_t>(r)});
    index->profiles_.push_back(std::move(entry));
  }
  while (next < profiles.size()) stale.push_back(std::move(profiles[next++]));
  std::optional<LatentText> latent = LatentText::Deserialize(in);
  if (!latent || !in.done() || latent->size() != saved_rows) {
    return absl::DataLossError("the latent text index does not read back");
  }
  index->latent_ = latent->Update(sources, {});
  const auto n = static_cast<Eigen::Index>(index->profiles_.size());
  index->interest_ = Eigen::MatrixXf::Zero(n, themes);
  index->offer_ = Eigen::MatrixXf::Zero(n, themes);
  index->seek_ = Eigen::MatrixXf::Zero(n, themes);
  for (Eigen::Index row = 0; row < n; ++row) {
    FillRows(index->at(static_cast<size_t>(row)).extraction, row,
             index->interest_, index->offer_, index->seek_);
  }
  NormaliseRows(index->interest_, index->offer_, index->seek_, 0, n);
  index->country_names_ = std::move(country_names);
  index->decisions_ = MakeLog(std::move(decisions));
  index->IndexFacts();
  return index;
}

uint32_t CountryKey(std::string_view country) {
  if (country.size() > 4) {
    return static_cast<uint32_t>(Fingerprint64(country)) | 0x80000000u;
  }
  uint32_t key = 0;
  for (char c : country) key = (key << 8) | static_cast<unsigned char>(c);
  return key;
}

void MatchIndex::IndexFacts() {
  facts_.resize(profiles_.size());
  for (size_t i = 0; i < profiles_.size(); ++i) {
    const IndexedProfile& entry = *profiles_[i];
    RowFacts& f = facts_[i];
    f.country = CountryKey(entry.profile.country);
    f.language = entry.extraction.language;
    f.eu_member = entry.eu_member;
    f.city_like = IsCityLike(entry.profile.kind);
    f.decided = false;
    f.lists_partners = !entry.profile.known_partners.empty();
  }
  for (const Decision& d : decisions_->log) {
    for (const std::string* id : {&d.profile_id, &d.partner_id}) {
      if (const std::optional<size_t> row = Find(*id)) facts_[*row].decided = true;
    }
  }
}

const Decision* MatchIndex::LatestDecision(std::string_view a,
                                           std::string_view b) const {
  auto it = decisions_->latest.find(PairKey(a, b));
  return it == decisions_->latest.end() ? nullptr
                                        : &decisions_->log[it->second];
}

std::vector<std::string_view> MatchIndex::CountryNames(size_t i) const {
  return CountryNamesOf(profiles_[i]->profile.country);
}

std::vector<std::string_view> MatchIndex::CountryNamesOf(
    const std::string& country) const {
  std::vector<std::string_view> names;
  auto it = country_names_->find(country);
  if (it != country_names_->end()) {
    names.assign(it->second.begin(), it->second.end());
  }
  return names;
}

std::vector<std::string_view> MatchIndex::OwnNames(size_t i) const {
  std::vector<std::string_view> names = {profiles_[i]->profile.name};
  const std::vector<std::string_view> country = CountryNames(i);
  names.insert(names.end(), country.begin(), country.end());
  return names;
}

std::optional<size_t> MatchIndex::Find(std::string_view id) const {
  auto it = std::lower_bound(
      profiles_.begin(), profiles_.end(), id,
      [](const ProfilePtr& p, std::string_view x) { return p->profile.id < x; });
  if (it == profiles_.end() || (*it)->profile.id != id) return std::nullopt;
  return static_cast<size_t>(it - profiles_.begin());
}

absl::StatusOr<size_t> MatchIndex::Row(std::string_view id) const {
  if (std::optional<size_t> row = Find(id)) return *row;
  std::string message = absl::StrCat("no profile with id ", QuoteInput(id));
  // Ids and names side by side: candidate 2i is row i's id, 2i + 1 its name.
  std::vector<std::string_view> candidates;
  candidates.reserve(2 * profiles_.size());
  for (const ProfilePtr& p : profiles_) {
    candidates.push_back(p->profile.id);
    candidates.push_back(p->profile.name);
  }
  if (std::optional<size_t> near = Nearest(id, candidates)) {
    absl::StrAppend(&message, "; did you mean '",
                    profiles_[*near / 2]->profile.id, "'?");
  }
  return absl::NotFoundError(message);
}

}  // namespace pm
