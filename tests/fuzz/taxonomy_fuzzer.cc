// Fuzz target: the taxonomy loader (Taxonomy::ParseJson), which reads the
// file given to `--taxonomy` and `taxonomy check`. A taxonomy that loads must
// be usable: every theme has an id and a phrase.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/taxonomy/taxonomy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto taxonomy = pm::Taxonomy::ParseJson(json, "fuzz.json");
  if (!taxonomy.ok()) return 0;
  if (taxonomy->size() == 0) std::abort();
  for (const pm::Theme& theme : taxonomy->themes()) {
    if (theme.id.empty() || theme.phrases.empty()) std::abort();
    if (taxonomy->IndexOf(theme.id) < 0) std::abort();
  }
  return 0;
}
