#include "engine/catalog/profile_catalog.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <set>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "data/bundled_data.h"
#include "engine/catalog/saved_index.h"
#include "engine/common/status_macros.h"
#include "engine/io/profile_format.h"
#include "engine/matching/exclusion.h"
#include "engine/taxonomy/taxonomy.h"
#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

std::shared_ptr<const ThemeExtractor> BundledExtractor() {
  static const auto* extractor = new std::shared_ptr<const ThemeExtractor>(
      std::make_shared<ThemeExtractor>(std::shared_ptr<const Taxonomy>(
          &Taxonomy::Bundled(), [](const Taxonomy*) {})));
  return *extractor;
}

// Normalises every profile; INVALID_ARGUMENT naming the profile by position
// and id; refuses duplicate ids.
absl::Status NormalizeAll(std::vector<Profile>& profiles,
                          const Gazetteer& gazetteer) {
  std::set<std::string> seen;
  for (size_t i = 0; i < profiles.size(); ++i) {
    absl::Status status = NormalizeProfile(profiles[i], gazetteer);
    if (!status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("profiles[", i, "] ('", profiles[i].id,
                                       "'): ", status.message()));
    }
    if (!seen.insert(profiles[i].id).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "profiles[", i, "] ('", profiles[i].id, "'): duplicate id"));
    }
  }
  return absl::OkStatus();
}

// FAILED_PRECONDITION naming the rule when `decision` accepts (or records
// as existing) a pair of loaded profiles that the programme's rules exclude.
absl::Status CheckAgainstRules(const Decision& decision,
                               const MatchIndex& index,
                               const MatchRules& rules) {
  if (decision.kind == DecisionKind::kDeclined) return absl::OkStatus();
  const size_t a = *index.Find(decision.profile_id);
  const size_t b = *index.Find(decision.partner_id);
  const ExclusionRule rule = ProgrammeRule(rules, index.facts(a), index.facts(b));
  if (rule == ExclusionRule::kNone) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot record '", decision.profile_id, "' and '", decision.partner_id,
      "' as ", DecisionKindName(decision.kind), ": ",
      Describe(rule, index, a, b), " (a declined decision can be recorded)"));
}

}  // namespace

ProfileCatalog::ProfileCatalog(std::unique_ptr<Store> store,
                               std::shared_ptr<const ThemeExtractor> extractor,
                               Progress* progress)
    : gazetteer_(&Gazetteer::Bundled()),
      extractor_(std::move(extractor)),
      store_path_(store ? store->path() : std::string()),
      progress_(progress),
      store_(std::move(store)) {
  rebuilder_ = std::thread([this] { RebuildLoop(); });
}

ProfileCatalog::~ProfileCatalog() {
  {
    std::lock_guard<std::mutex> lock(rebuild_mu_);
    stop_ = true;
  }
  rebuild_cv_.notify_all();
  rebuilder_.join();
}

IndexOptions ProfileCatalog::BuildOptions() const {
  IndexOptions options;
  options.progress = progress_;
  return options;
}

absl::StatusOr<std::unique_ptr<ProfileCatalog>> ProfileCatalog::OpenStore(
    const std::string& path, bool empty, Progress* progress) {
  PM_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, pm::OpenStore(path));
  if (store->created() && !empty) {
    PM_ASSIGN_OR_RETURN(
        std::vector<Profile> bundled,
        ParseProfilesJsonl(bundled::File_profiles_jsonl(), "data/profiles.jsonl",
                           Gazetteer::Bundled()));
    PM_RETURN_IF_ERROR(store->Upsert(bundled).status());
  }
  std::unique_ptr<ProfileCatalog> catalog(
      new ProfileCatalog(std::move(store), BundledExtractor(), progress));
  std::lock_guard<std::mutex> lock(catalog->write_mu_);
  PM_RETURN_IF_ERROR(catalog->Reload());
  return catalog;
}

absl::StatusOr<std::unique_ptr<ProfileCatalog>> ProfileCatalog::InMemory(
    std::vector<Profile> profiles, Progress* progress) {
  PM_RETURN_IF_ERROR(NormalizeAll(profiles, Gazetteer::Bundled()));
  std::unique_ptr<ProfileCatalog> catalog(
      new ProfileCatalog(nullptr, BundledExtractor(), progress));
  catalog->Swap(MatchIndex::Build(std::move(profiles), catalog->extractor_,
                                  *catalog->gazetteer_, nullptr, {},
                                  catalog->BuildOptions()));
  return catalog;
}

absl::StatusOr<std::shared_ptr<const MatchIndex>> ProfileCatalog::LoadIndex(
    std::vector<Profile> profiles, std::vector<Decision> decisions) {
  absl::StatusOr<std::string> bytes = store_->LoadDerivedIndex();
  absl::StatusOr<SavedIndex> saved =
      bytes.ok() ? DecodeSavedIndex(*std::move(bytes)) : bytes.status();
  absl::Status problem = saved.status();
  if (saved.ok()) {
    std::vector<Profile> stale;
    absl::StatusOr<std::shared_ptr<const MatchIndex>> restored =
        MatchIndex::Restore(saved->index, std::move(profiles), extractor_,
                            *gazetteer_, decisions, stale);
    if (restored.ok()) {
      ByteReader in(saved->exposure);
      if (std::optional<ExposureModel> exposure =
              ExposureModel::Deserialize(in)) {
        std::lock_guard<std::mutex> lock(snapshot_mu_);
        saved_exposure_ =
            std::make_shared<const ExposureModel>(*std::move(exposure));
      }
      if (stale.empty()) return *restored;
      // Profiles written since the index was saved: one write.
      return Apply(**restored, std::move(stale), {});
    }
    problem = restored.status();
    // Restore took the profiles: read them again (a rare path).
    PM_ASSIGN_OR_RETURN(profiles, store_->LoadAll());
    PM_RETURN_IF_ERROR(NormalizeAll(profiles, *gazetteer_));
  }
  if (!absl::IsNotFound(problem)) {
    std::cerr << "partner-match: the saved index of the store '"
              << store_path_ << "' cannot be used (" << problem.message()
              << "); rebuilding it\n";
  }
  std::shared_ptr<const MatchIndex> index =
      MatchIndex::Build(std::move(profiles), extractor_, *gazetteer_, nullptr,
                        std::move(decisions), BuildOptions());
  SaveIndex(*index);
  return index;
}

void ProfileCatalog::SaveIndex(const MatchIndex& index,
                               const CancellationToken& cancel) {
  if (!store_) return;
  // The exposure model under the service's scorer and options (the
  // defaults), so that a start has one at once.
  auto exposure = std::make_shared<const ExposureModel>(
      ExposureModel::Compute(index, ReciprocalScorer(), ExposureOptions(),
                             cancel));
  if (cancel.Cancelled()) return;
  {
    std::lock_guard<std::mutex> lock(snapshot_mu_);
    saved_exposure_ = exposure;
  }
  if (absl::Status s =
          store_->SaveDerivedIndex(EncodeSavedIndex(index, exposure.get()));
      !s.ok()) {
    std::cerr << "partner-match: " << s.message()
              << " (the next start re-derives the index)\n";
  }
}

std::shared_ptr<const ExposureModel> ProfileCatalog::SavedExposure() const {
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  return saved_exposure_;
}

void ProfileCatalog::WaitForRebuild() {
  std::unique_lock<std::mutex> lock(rebuild_mu_);
  rebuild_cv_.wait(lock, [this] { return !rebuild_due_ && !rebuilding_; });
}

std::shared_ptr<const MatchIndex> ProfileCatalog::Apply(
    const MatchIndex& current, std::vector<Profile> upserts,
    const std::vector<std::string>& removals) {
  const double limit =
      kRebuildShare * static_cast<double>(std::max<size_t>(current.size(), 1));
  if (static_cast<double>(upserts.size() + removals.size()) <= limit) {
    return MatchIndex::Update(current, std::move(upserts), removals,
                              *gazetteer_);
  }
  // A large write: one build from scratch (extraction of unchanged profiles
  // reused).
  std::vector<Profile> all;
  all.reserve(current.size() + upserts.size());
  std::set<std::string_view> replaced(removals.begin(), removals.end());
  for (const Profile& p : upserts) replaced.insert(p.id);
  for (const IndexedProfile& entry : current.profiles()) {
    if (replaced.count(entry.profile.id) == 0) all.push_back(entry.profile);
  }
  for (Profile& p : upserts) all.push_back(std::move(p));
  std::shared_ptr<const MatchIndex> built =
      MatchIndex::Build(std::move(all), extractor_, *gazetteer_, &current,
                        current.decisions(), BuildOptions());
  SaveIndex(*built);
  return built;
}

void ProfileCatalog::SwapAndSchedule(std::shared_ptr<const MatchIndex> next) {
  const bool due = static_cast<double>(next->latent().changed_since_basis()) >
                   kRebuildShare * static_cast<double>(next->size());
  Swap(std::move(next));
  if (!due) return;
  {
    std::lock_guard<std::mutex> lock(rebuild_mu_);
    rebuild_due_ = true;
  }
  rebuild_cv_.notify_all();
}

void ProfileCatalog::AdvanceSequence(int64_t before) {
  if (!store_) return;
  absl::StatusOr<int64_t> after = store_->ChangeSequence();
  if (!after.ok() || *after != before + 1) return;
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  snapshot_sequence_ = *after;
}

void ProfileCatalog::RebuildLoop() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(rebuild_mu_);
      rebuild_cv_.wait(lock, [this] { return stop_ || rebuild_due_; });
      if (stop_) return;
      rebuild_due_ = false;
      rebuilding_ = true;
    }
    // Off every lock: readers and writers go on.
    const std::shared_ptr<const MatchIndex> base = Snapshot();
    std::vector<Profile> profiles;
    profiles.reserve(base->size());
    for (const IndexedProfile& entry : base->profiles()) {
      profiles.push_back(entry.profile);
    }
    IndexOptions options;
    options.cancel = CancellationToken([this] {
      std::lock_guard<std::mutex> lock(rebuild_mu_);
      return stop_;
    });
    std::shared_ptr<const MatchIndex> rebuilt =
        MatchIndex::Build(std::move(profiles), extractor_, *gazetteer_,
                          base.get(), base->decisions(), options);
    if (rebuilt == nullptr) return;  // the catalog is closing
    {
      // Replay the writes made since `base` onto the rebuilt index.
      std::lock_guard<std::mutex> lock(write_mu_);
      const std::shared_ptr<const MatchIndex> current = Snapshot();
      std::vector<Profile> upserts;
      std::vector<std::string> removals;
      for (size_t row = 0; row < current->size(); ++row) {
        const std::optional<size_t> old = base->Find(current->at(row).profile.id);
        if (!old || base->shared_at(*old) != current->shared_at(row)) {
          upserts.push_back(current->at(row).profile);
        }
      }
      for (const IndexedProfile& entry : base->profiles()) {
        if (!current->Find(entry.profile.id)) {
          removals.push_back(entry.profile.id);
        }
      }
      SwapAndSchedule(MatchIndex::Update(*rebuilt, std::move(upserts),
                                         removals, *gazetteer_, current.get()));
    }
    SaveIndex(*Snapshot(), options.cancel);
    {
      std::lock_guard<std::mutex> lock(rebuild_mu_);
      rebuilding_ = false;
    }
    rebuild_cv_.notify_all();
  }
}

absl::Status ProfileCatalog::Reload() {
  const std::shared_ptr<const MatchIndex> current = Snapshot();
  // One read: the changes bring the snapshot exactly to changes.sequence.
  PM_ASSIGN_OR_RETURN(StoreChanges changes,
                      store_->ChangesSince(current ? snapshot_sequence() : -1));
  // Stored profiles were checked on the way in; check again in case the
  // store was edited by hand, naming the profile.
  PM_RETURN_IF_ERROR(NormalizeAll(changes.upserted, *gazetteer_));
  std::shared_ptr<const MatchIndex> next;
  if (!current) {
    PM_ASSIGN_OR_RETURN(next, LoadIndex(std::move(changes.upserted),
                                        std::move(changes.decisions)));
  } else {
    // This catalog's own writes come back too: keep only what differs.
    std::vector<Profile> upserts;
    for (Profile& p : changes.upserted) {
      const std::optional<size_t> row = current->Find(p.id);
      if (!row || !(current->at(*row).profile == p)) {
        upserts.push_back(std::move(p));
      }
    }
    std::vector<std::string> removals;
    for (std::string& id : changes.removed) {
      if (current->Find(id)) removals.push_back(std::move(id));
    }
    next = upserts.empty() && removals.empty()
               ? current
               : Apply(*current, std::move(upserts), removals);
    std::vector<Decision> decisions = next->decisions();
    std::set<int64_t> known;
    for (const Decision& d : decisions) known.insert(d.sequence);
    const size_t had = decisions.size();
    for (Decision& d : changes.decisions) {
      if (known.count(d.sequence) == 0) decisions.push_back(std::move(d));
    }
    if (decisions.size() != had) {
      std::sort(decisions.begin(), decisions.end(),
                [](const Decision& a, const Decision& b) {
                  return a.sequence < b.sequence;
                });
      next = MatchIndex::WithDecisions(*next, std::move(decisions));
    }
  }
  if (next != current) SwapAndSchedule(std::move(next));
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  snapshot_sequence_ = changes.sequence;
  return absl::OkStatus();
}

int64_t ProfileCatalog::snapshot_sequence() const {
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  return snapshot_sequence_;
}

absl::StatusOr<int64_t> ProfileCatalog::WaitForChange(int64_t seen,
                                                      absl::Duration timeout) {
  if (!store_) {
    std::this_thread::sleep_for(absl::ToChronoMicroseconds(timeout));
    return seen;
  }
  return store_->WaitForChange(seen, timeout);
}

absl::StatusOr<int64_t> ProfileCatalog::Refresh() {
  if (!store_) return int64_t{0};
  std::lock_guard<std::mutex> lock(write_mu_);
  PM_ASSIGN_OR_RETURN(const int64_t sequence, store_->ChangeSequence());
  if (sequence > snapshot_sequence()) PM_RETURN_IF_ERROR(Reload());
  return snapshot_sequence();
}

std::shared_ptr<const MatchIndex> ProfileCatalog::Snapshot() const {
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  return snapshot_;
}

void ProfileCatalog::Swap(std::shared_ptr<const MatchIndex> next) {
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  snapshot_ = std::move(next);
}

absl::StatusOr<UpsertCounts> ProfileCatalog::Upsert(
    std::vector<Profile> profiles) {
  if (profiles.empty()) {
    return absl::InvalidArgumentError("no profiles given");
  }
  PM_RETURN_IF_ERROR(NormalizeAll(profiles, *gazetteer_));
  std::lock_guard<std::mutex> lock(write_mu_);
  std::shared_ptr<const MatchIndex> current = Snapshot();
  const int64_t before = snapshot_sequence();
  UpsertCounts counts;
  if (store_) {
    PM_ASSIGN_OR_RETURN(counts, store_->Upsert(profiles));
  } else {
    for (const Profile& p : profiles) {
      ++(current->Find(p.id) ? counts.updated : counts.created);
    }
  }
  SwapAndSchedule(Apply(*current, std::move(profiles), {}));
  AdvanceSequence(before);
  return counts;
}

absl::Status ProfileCatalog::Delete(std::string_view id) {
  std::lock_guard<std::mutex> lock(write_mu_);
  std::shared_ptr<const MatchIndex> current = Snapshot();
  const int64_t before = snapshot_sequence();
  PM_RETURN_IF_ERROR(current->Row(id).status());
  if (store_) PM_RETURN_IF_ERROR(store_->Delete(id));
  SwapAndSchedule(Apply(*current, {}, {std::string(id)}));
  AdvanceSequence(before);
  return absl::OkStatus();
}

absl::StatusOr<Decision> ProfileCatalog::RecordDecision(
    Decision decision, const MatchRules& rules) {
  const auto invalid = [](std::string_view field, std::string_view problem) {
    return absl::InvalidArgumentError(
        absl::StrCat("field '", std::string(field), "': ", std::string(problem)));
  };
  if (decision.profile_id.empty()) return invalid("profile_id", "is required");
  if (decision.partner_id.empty()) return invalid("partner_id", "is required");
  if (decision.profile_id == decision.partner_id) {
    return invalid("partner_id", "a decision pairs two different places");
  }
  if (decision.who.empty()) {
    return invalid("who", "is required: say who took the decision");
  }
  if (decision.who.size() > kMaxDecisionWhoBytes) {
    return invalid("who", absl::StrCat("longer than ", kMaxDecisionWhoBytes,
                                       " bytes"));
  }
  if (decision.why.size() > kMaxDecisionWhyBytes) {
    return invalid("why", absl::StrCat("longer than ", kMaxDecisionWhyBytes,
                                       " bytes"));
  }
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"who", &decision.who},
        {"why", &decision.why}}) {
    if (absl::Status utf8 = ValidateUtf8(*value); !utf8.ok()) {
      return invalid(field, std::string(utf8.message()));
    }
  }
  std::lock_guard<std::mutex> lock(write_mu_);
  std::shared_ptr<const MatchIndex> current = Snapshot();
  for (const std::string* id : {&decision.profile_id, &decision.partner_id}) {
    PM_RETURN_IF_ERROR(current->Row(*id).status());
  }
  PM_RETURN_IF_ERROR(CheckAgainstRules(decision, *current, rules));
  const int64_t before = snapshot_sequence();
  if (store_) {
    PM_ASSIGN_OR_RETURN(decision, store_->RecordDecision(std::move(decision)));
  } else {
    decision.sequence = static_cast<int64_t>(current->decisions().size()) + 1;
    decision.recorded_at_unix_micros =
        std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::system_clock::now().time_since_epoch())
            .count();
  }
  std::vector<Decision> decisions = current->decisions();
  decisions.push_back(decision);
  Swap(MatchIndex::WithDecisions(*current, std::move(decisions)));
  AdvanceSequence(before);
  return decision;
}

}  // namespace pm
