// How an import meets the store: each incoming profile is matched to the
// place already stored (by id, or by name and country) and merged into it,
// so that nothing a coordinator curated is lost or duplicated.
#ifndef PARTNER_MATCH_ENGINE_IO_IMPORT_MERGE_H_
#define PARTNER_MATCH_ENGINE_IO_IMPORT_MERGE_H_

#include <string>
#include <vector>

#include "engine/model/profile.h"

namespace pm {

// One profile to import, and how much of it its source vouches for.
struct IncomingProfile {
  Profile profile;
  // From a programme page rather than a profile file: the page names a
  // place but does not own its id, name, population or partners.
  bool from_page = false;
  // Fields the page did not state but that were inferred (place gazetteer,
  // default kind): they never replace a stored value.
  bool country_inferred = false;
  bool kind_inferred = false;
};

enum class MergeAction { kAdd, kChange, kKeep };

// What the import does to one place.
struct MergeStep {
  MergeAction action = MergeAction::kAdd;
  std::string id;     // the stored id (or the new one)
  std::string name;
  // "text", "kind city -> region", "known_partners + lugo", "kept the
  // store's kind region (the page's city was inferred)", "matched by name
  // and country: stored id 'x' kept (the import says 'y')", ...
  std::vector<std::string> notes;
};

struct ImportPlan {
  std::vector<Profile> writes;  // the profiles to store (added or changed)
  std::vector<MergeStep> steps;  // one per incoming profile, in order
  int added = 0;
  int changed = 0;
  int kept = 0;  // unchanged
};

// Plans importing `incoming` into a store holding `stored`. A profile
// matches the stored one with its id, else the one with the same name
// (FoldText) and country; a later incoming profile matches an earlier one
// of the same import likewise. A match is updated in place under the stored
// id:
//  - from a profile file, every field is replaced by the file's;
//  - from a page, the text is replaced, known partners are added (never
//    removed), and the kind and country are replaced only when the page
//    states them; the stored id, name and population stay.
// An inferred kind or country never replaces a stored one: a note says it
// was kept. An unmatched profile is added as it is.
ImportPlan PlanImport(const std::vector<Profile>& stored,
                      const std::vector<IncomingProfile>& incoming);

// "added", "changed", "unchanged".
const char* MergeActionName(MergeAction action);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_IO_IMPORT_MERGE_H_
