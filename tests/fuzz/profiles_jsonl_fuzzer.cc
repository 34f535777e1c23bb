// Fuzz target: the JSONL profile importer (ParseProfilesJsonl), which reads
// files a coordinator gives `import` and `--profiles`. Any input must give
// profiles or an error Status; a parsed profile must survive a round trip
// through ProfileToJsonLine unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/geo/gazetteer.h"
#include "engine/io/profile_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const pm::Gazetteer& gazetteer = pm::Gazetteer::Bundled();
  auto profiles = pm::ParseProfilesJsonl(content, "fuzz.jsonl", gazetteer);
  if (!profiles.ok()) return 0;
  std::string again;
  for (const pm::Profile& p : *profiles) again += pm::ProfileToJsonLine(p) + "\n";
  auto reread = pm::ParseProfilesJsonl(again, "again.jsonl", gazetteer);
  if (!reread.ok() || reread->size() != profiles->size()) std::abort();
  for (size_t i = 0; i < profiles->size(); ++i) {
    if (pm::ProfileToJsonLine((*reread)[i]) != pm::ProfileToJsonLine((*profiles)[i]))
      std::abort();
  }
  return 0;
}
