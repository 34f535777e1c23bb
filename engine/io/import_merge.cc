#include "engine/io/import_merge.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/text/text_analyzer.h"

namespace pm {
namespace {

std::string NameKey(const Profile& p) {
  return absl::StrCat(FoldText(p.name), "\t", p.country);
}

// The places known so far (stored, then planned), found by id or by name
// and country.
class Places {
 public:
  explicit Places(const std::vector<Profile>& stored) {
    for (const Profile& p : stored) Put(p);
  }
  std::optional<Profile> Find(const Profile& p) const {
    if (auto it = by_id_.find(p.id); it != by_id_.end()) return it->second;
    if (auto it = id_by_name_.find(NameKey(p)); it != id_by_name_.end()) {
      return by_id_.at(it->second);
    }
    return std::nullopt;
  }
  void Put(const Profile& p) {
    by_id_[p.id] = p;
    id_by_name_[NameKey(p)] = p.id;
  }

 private:
  std::map<std::string, Profile> by_id_;
  std::map<std::string, std::string> id_by_name_;
};

// Replaces `*field` by `value` when they differ, noting "<label> a -> b".
template <typename T, typename Show>
void Replace(T* field, const T& value, const char* label, Show show,
             std::vector<std::string>* notes) {
  if (*field == value) return;
  notes->push_back(absl::StrCat(label, " ", show(*field), " -> ", show(value)));
  *field = value;
}

std::string Same(const std::string& s) { return s; }
std::string KindText(PlaceKind kind) { return PlaceKindName(kind); }

// Merges what a page says about a stored place into `merged`.
void MergeFromPage(const IncomingProfile& in, Profile* merged,
                   std::vector<std::string>* notes) {
  const Profile& page = in.profile;
  if (merged->text != page.text) {
    merged->text = page.text;
    notes->push_back("text");
  }
  std::vector<std::string> added;
  for (const std::string& id : page.known_partners) {
    if (id != merged->id &&
        std::find(merged->known_partners.begin(), merged->known_partners.end(),
                  id) == merged->known_partners.end()) {
      merged->known_partners.push_back(id);
      added.push_back(id);
    }
  }
  if (!added.empty()) {
    notes->push_back(absl::StrCat("known_partners + ", absl::StrJoin(added, ", ")));
  }
  if (in.kind_inferred && page.kind != merged->kind) {
    notes->push_back(absl::StrCat("kept the store's kind ",
                                  PlaceKindName(merged->kind), " (the page's ",
                                  PlaceKindName(page.kind), " was inferred)"));
  } else {
    Replace(&merged->kind, page.kind, "kind", KindText, notes);
  }
  if (in.country_inferred && page.country != merged->country) {
    notes->push_back(absl::StrCat("kept the store's country ", merged->country,
                                  " (the page's ", page.country,
                                  " was inferred)"));
  } else {
    Replace(&merged->country, page.country, "country", Same, notes);
  }
  if (page.name != merged->name) {
    notes->push_back(absl::StrCat("kept the store's name '", merged->name,
                                  "' (the page writes '", page.name, "')"));
  }
}

// Merges a profile file's record into the stored place: the file's values
// replace the stored ones, under the stored id.
void MergeFromFile(const IncomingProfile& in, Profile* merged,
                   std::vector<std::string>* notes) {
  Profile next = in.profile;
  next.id = merged->id;
  if (next.text != merged->text) notes->push_back("text");
  Replace(&merged->name, next.name, "name", Same, notes);
  Replace(&merged->kind, next.kind, "kind", KindText, notes);
  Replace(&merged->country, next.country, "country", Same, notes);
  if (next.known_partners != merged->known_partners) {
    notes->push_back("known_partners");
  }
  if (next.population != merged->population) notes->push_back("population");
  if (next.eu_member != merged->eu_member ||
      next.world_region != merged->world_region) {
    notes->push_back("eu_member/world_region");
  }
  *merged = std::move(next);
}

}  // namespace

const char* MergeActionName(MergeAction action) {
  switch (action) {
    case MergeAction::kAdd:
      return "added";
    case MergeAction::kChange:
      return "changed";
    case MergeAction::kKeep:
      return "unchanged";
  }
  return "unchanged";
}

ImportPlan PlanImport(const std::vector<Profile>& stored,
                      const std::vector<IncomingProfile>& incoming) {
  ImportPlan plan;
  Places places(stored);
  std::map<std::string, size_t> write_of;  // id -> index in plan.writes
  for (const IncomingProfile& in : incoming) {
    MergeStep step;
    std::optional<Profile> match = places.Find(in.profile);
    Profile merged = match ? *match : in.profile;
    if (match && match->id != in.profile.id) {
      step.notes.push_back(absl::StrCat("matched '", match->name, "' (",
                                        match->country, ") by name and "
                                        "country: its id '", match->id,
                                        "' kept, not '", in.profile.id, "'"));
    }
    std::vector<std::string> changes;
    if (match) {
      (in.from_page ? MergeFromPage : MergeFromFile)(in, &merged, &changes);
    }
    const bool changed = !match || !(merged == *match);
    step.action = !match    ? MergeAction::kAdd
                  : changed ? MergeAction::kChange
                            : MergeAction::kKeep;
    step.id = merged.id;
    step.name = merged.name;
    step.notes.insert(step.notes.end(), changes.begin(), changes.end());
    (step.action == MergeAction::kAdd      ? plan.added
     : step.action == MergeAction::kChange ? plan.changed
                                           : plan.kept)++;
    if (changed) {
      places.Put(merged);
      if (auto it = write_of.find(merged.id); it != write_of.end()) {
        plan.writes[it->second] = merged;
      } else {
        write_of[merged.id] = plan.writes.size();
        plan.writes.push_back(merged);
      }
    }
    plan.steps.push_back(std::move(step));
  }
  return plan;
}

}  // namespace pm
