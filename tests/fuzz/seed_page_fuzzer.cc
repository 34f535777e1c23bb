// Fuzz target: the programme page importer (ParseSeedPage), which reads the
// text a coordinator copies from a web page. Any input must give cards and
// warnings or an error Status, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/geo/gazetteer.h"
#include "engine/geo/places.h"
#include "engine/io/seed_page.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  auto page = pm::ParseSeedPage(content, "fuzz.txt", pm::Gazetteer::Bundled(),
                                pm::PlaceGazetteer::Bundled());
  (void)page;
  return 0;
}
