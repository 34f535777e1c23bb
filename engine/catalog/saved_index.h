// The saved derived index of a store: MatchIndex::Serialize's bytes, then
// the exposure model of that index (ExposureModel::Serialize, or nothing),
// behind a magic string and a checksum. The store keeps the bytes
// (Store::SaveDerivedIndex), so `serve` and one-shot commands start without
// re-deriving every profile or counting the exposure again.
#ifndef PARTNER_MATCH_ENGINE_CATALOG_SAVED_INDEX_H_
#define PARTNER_MATCH_ENGINE_CATALOG_SAVED_INDEX_H_

#include <string>

#include "absl/status/statusor.h"
#include "engine/matching/exposure.h"
#include "engine/matching/match_index.h"

namespace pm {

// What a saved index holds, serialized.
struct SavedIndex {
  std::string index;     // MatchIndex::Serialize
  std::string exposure;  // ExposureModel::Serialize, or empty
};

// The bytes that save `index` and `exposure` (may be null).
std::string EncodeSavedIndex(const MatchIndex& index,
                             const ExposureModel* exposure);

// What `bytes` (EncodeSavedIndex's) hold: DATA_LOSS when they are not a
// saved index (another format too) or their checksum does not match.
absl::StatusOr<SavedIndex> DecodeSavedIndex(std::string bytes);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_CATALOG_SAVED_INDEX_H_
