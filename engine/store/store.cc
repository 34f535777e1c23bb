#include "engine/store/store.h"

#include <string_view>
#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "engine/common/strings.h"
#include "engine/store/postgres_store.h"
#include "engine/store/profile_store.h"

namespace pm {

absl::Status CheckDistinctIds(const std::vector<Profile>& profiles) {
  std::unordered_set<std::string_view> ids;
  for (const Profile& profile : profiles) {
    if (!ids.insert(profile.id).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "profile '", profile.id, "' appears twice in one upsert"));
    }
  }
  return absl::OkStatus();
}

bool IsPostgresUrl(std::string_view path_or_url) {
  return StartsWith(path_or_url, "postgresql://") ||
         StartsWith(path_or_url, "postgres://");
}

absl::StatusOr<std::unique_ptr<Store>> OpenStore(
    const std::string& path_or_url) {
  if (IsPostgresUrl(path_or_url)) {
    absl::StatusOr<std::unique_ptr<PostgresStore>> store =
        PostgresStore::Open(path_or_url);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(*store));
  }
  absl::StatusOr<std::unique_ptr<ProfileStore>> store =
      ProfileStore::Open(path_or_url);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace pm
