// The one way a bundled data file (compiled into the program, data/) is
// turned into an engine object: parsed once, on first use, and never
// destroyed (no exit-time destructor).
#ifndef PARTNER_MATCH_ENGINE_COMMON_BUNDLED_FILE_H_
#define PARTNER_MATCH_ENGINE_COMMON_BUNDLED_FILE_H_

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "absl/status/statusor.h"

namespace pm {

// The object `parse()` makes of the bundled file `path`. A parse error is a
// broken build, not bad input: it is printed (naming `what` and `path`) and
// the program aborts. Call it from a function-local static so that it runs
// once: `static const T* const t = ParseBundledOrAbort<T>(...); return *t;`.
template <typename T, typename Parse>
const T* ParseBundledOrAbort(const char* what, const char* path, Parse parse) {
  absl::StatusOr<T> parsed = parse();
  if (!parsed.ok()) {
    std::fprintf(stderr,
                 "partner-match: the bundled %s compiled into this program is "
                 "broken (fix %s and rebuild): %s\n",
                 what, path, std::string(parsed.status().message()).c_str());
    std::abort();
  }
  return new T(*std::move(parsed));
}

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_COMMON_BUNDLED_FILE_H_
