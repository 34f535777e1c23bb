// The saved derived index of a store: MatchIndex::Serialize's bytes, then
// the exposure model of that index (ExposureModel::Serialize, or nothing),
// in a file next to the store (`<store>.index`), behind a magic string and
// a checksum, written atomically (a temporary file renamed over the old
// one), so `serve` and one-shot commands start without re-deriving every
// profile or counting the exposure again.
#ifndef PARTNER_MATCH_ENGINE_CATALOG_INDEX_FILE_H_
#define PARTNER_MATCH_ENGINE_CATALOG_INDEX_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/matching/exposure.h"
#include "engine/matching/match_index.h"

namespace pm {

// "<store_path>.index".
std::string IndexFilePath(const std::string& store_path);

// What an index file holds, serialized.
struct SavedIndex {
  std::string index;     // MatchIndex::Serialize
  std::string exposure;  // ExposureModel::Serialize, or empty
};

// Writes `index` and `exposure` (may be null) to `path`. UNAVAILABLE
// naming the path when it cannot.
absl::Status SaveIndexFile(const std::string& path, const MatchIndex& index,
                           const ExposureModel* exposure);

// What is saved at `path`: NOT_FOUND when there is none, DATA_LOSS when
// the file is not one (another format too) or its checksum does not match.
absl::StatusOr<SavedIndex> ReadIndexFile(const std::string& path);

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_CATALOG_INDEX_FILE_H_
