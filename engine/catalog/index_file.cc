#include "engine/catalog/index_file.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "engine/common/byte_io.h"

namespace pm {
namespace {

constexpr char kMagic[8] = {'P', 'M', 'I', 'N', 'D', 'E', 'X', '2'};
// Magic, checksum of the rest, length of the index's bytes.
constexpr size_t kHeader = sizeof(kMagic) + 2 * sizeof(uint64_t);

}  // namespace

std::string IndexFilePath(const std::string& store_path) {
  return store_path + ".index";
}

absl::Status SaveIndexFile(const std::string& path, const MatchIndex& index,
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
  // Unique per process and thread: two saves at once each write their own
  // file, and the last rename wins with a whole file.
  const std::string temporary = absl::StrCat(
      path, ".tmp", static_cast<long>(::getpid()), "-",
      std::hash<std::thread::id>()(std::this_thread::get_id()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::remove(temporary.c_str());
      return absl::UnavailableError(
          absl::StrCat("cannot write the index file '", temporary, "'"));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::remove(temporary.c_str());
    return absl::UnavailableError(absl::StrCat(
        "cannot replace the index file '", path, "': ", error.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<SavedIndex> ReadIndexFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return absl::NotFoundError(absl::StrCat("no index file '", path, "'"));
  // One read of the whole file.
  std::string bytes(static_cast<size_t>(std::max<std::streamoff>(in.tellg(), 0)),
                    '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in) return absl::DataLossError("cannot read it whole");
  if (bytes.size() < kHeader ||
      std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return absl::DataLossError("not a partner-match index file");
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
    return absl::DataLossError("its index is longer than the file");
  }
  SavedIndex saved;
  saved.exposure = bytes.substr(kHeader + index_size);
  bytes.resize(kHeader + index_size);
  bytes.erase(0, kHeader);  // in place: no second copy of a large file
  saved.index = std::move(bytes);
  return saved;
}

}  // namespace pm
