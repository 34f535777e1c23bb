#include "engine/catalog/saved_index.h"

#include <cstring>

#include "engine/common/byte_io.h"

namespace pm {
namespace {

constexpr char kMagic[8] = {'P', 'M', 'I', 'N', 'D', 'E', 'X', '2'};
// Magic, checksum of the rest, length of the index's bytes.
constexpr size_t kHeader = sizeof(kMagic) + 2 * sizeof(uint64_t);

}  // namespace

std::string EncodeSavedIndex(const MatchIndex& index,
                             const ExposureModel* exposure) {
  std::string bytes(kHeader, '\0');
  index.Serialize(bytes);
  const uint64_t index_size = bytes.size() - kHeader;
  if (exposure != nullptr) exposure->Serialize(bytes);
  std::memcpy(bytes.data(), kMagic, sizeof(kMagic));
  std::memcpy(bytes.data() + kHeader - sizeof(uint64_t), &index_size,
              sizeof(index_size));
  const uint64_t checksum = Fingerprint64(
      std::string_view(bytes).substr(sizeof(kMagic) + sizeof(uint64_t)));
  std::memcpy(bytes.data() + sizeof(kMagic), &checksum, sizeof(checksum));
  return bytes;
}

absl::StatusOr<SavedIndex> DecodeSavedIndex(std::string bytes) {
  if (bytes.size() < kHeader ||
      std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return absl::DataLossError("not a partner-match saved index");
  }
  uint64_t checksum = 0;
  std::memcpy(&checksum, bytes.data() + sizeof(kMagic), sizeof(checksum));
  if (checksum != Fingerprint64(std::string_view(bytes).substr(
                      sizeof(kMagic) + sizeof(uint64_t)))) {
    return absl::DataLossError("its checksum does not match (corrupt)");
  }
  uint64_t index_size = 0;
  std::memcpy(&index_size, bytes.data() + kHeader - sizeof(uint64_t),
              sizeof(index_size));
  if (index_size > bytes.size() - kHeader) {
    return absl::DataLossError("its index is longer than its bytes");
  }
  SavedIndex saved;
  saved.exposure = bytes.substr(kHeader + index_size);
  bytes.resize(kHeader + index_size);
  bytes.erase(0, kHeader);  // in place: no second copy of a large index
  saved.index = std::move(bytes);
  return saved;
}

}  // namespace pm
