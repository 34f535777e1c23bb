#include "engine/catalog/profile_catalog.h"

#include <chrono>
#include <set>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "data/bundled_data.h"
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
  const ExclusionRule rule = ProgrammeRule(rules, index.at(a), index.at(b));
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
      store_(std::move(store)) {}

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

absl::Status ProfileCatalog::Reload() {
  // Read first: a write landing between this and the loads below is loaded
  // too, and the next Refresh reloads once more.
  PM_ASSIGN_OR_RETURN(const int64_t sequence, store_->ChangeSequence());
  PM_ASSIGN_OR_RETURN(std::vector<Profile> profiles, store_->LoadAll());
  PM_ASSIGN_OR_RETURN(std::vector<Decision> decisions, store_->LoadDecisions());
  // Stored profiles were checked on the way in; check again in case the
  // store was edited by hand, naming the profile.
  PM_RETURN_IF_ERROR(NormalizeAll(profiles, *gazetteer_));
  std::shared_ptr<const MatchIndex> current = Snapshot();
  std::shared_ptr<const MatchIndex> next =
      MatchIndex::Build(std::move(profiles), extractor_, *gazetteer_,
                        current.get(), std::move(decisions), BuildOptions());
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  snapshot_ = std::move(next);
  snapshot_sequence_ = sequence;
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
  if (profiles.size() > kMaxUpsertBatch) {
    return absl::ResourceExhaustedError(
        absl::StrCat(profiles.size(), " profiles in one request; at most ",
                     kMaxUpsertBatch, " are accepted: split the batch"));
  }
  PM_RETURN_IF_ERROR(NormalizeAll(profiles, *gazetteer_));
  std::lock_guard<std::mutex> lock(write_mu_);
  std::shared_ptr<const MatchIndex> current = Snapshot();
  UpsertCounts counts;
  if (store_) {
    PM_ASSIGN_OR_RETURN(counts, store_->Upsert(profiles));
  }
  std::vector<Profile> next;
  next.reserve(current->size() + profiles.size());
  std::set<std::string> replaced;
  for (const Profile& p : profiles) replaced.insert(p.id);
  for (const IndexedProfile& entry : current->profiles()) {
    if (replaced.count(entry.profile.id) == 0) next.push_back(entry.profile);
  }
  if (!store_) {
    counts.updated = static_cast<int>(current->size() - next.size());
    counts.created = static_cast<int>(profiles.size()) - counts.updated;
  }
  for (Profile& p : profiles) next.push_back(std::move(p));
  Swap(MatchIndex::Build(std::move(next), extractor_, *gazetteer_,
                         current.get(), current->decisions(), BuildOptions()));
  return counts;
}

absl::Status ProfileCatalog::Delete(std::string_view id) {
  std::lock_guard<std::mutex> lock(write_mu_);
  std::shared_ptr<const MatchIndex> current = Snapshot();
  PM_RETURN_IF_ERROR(current->Row(id).status());
  if (store_) PM_RETURN_IF_ERROR(store_->Delete(id));
  std::vector<Profile> next;
  next.reserve(current->size());
  for (const IndexedProfile& entry : current->profiles()) {
    if (entry.profile.id != id) next.push_back(entry.profile);
  }
  Swap(MatchIndex::Build(std::move(next), extractor_, *gazetteer_,
                         current.get(), current->decisions()));
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
  std::vector<Profile> profiles;
  profiles.reserve(current->size());
  for (const IndexedProfile& entry : current->profiles()) {
    profiles.push_back(entry.profile);
  }
  Swap(MatchIndex::Build(std::move(profiles), extractor_, *gazetteer_,
                         current.get(), std::move(decisions)));
  return decision;
}

}  // namespace pm
