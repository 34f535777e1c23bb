// String helpers for std::string_view. Debian's Abseil (20220623) is built
// with its own absl::string_view, not an alias of std::string_view, so
// Abseil's string functions take no std::string_view: convert with Sv, and
// use these few helpers instead of Abseil's.
#ifndef PARTNER_MATCH_ENGINE_COMMON_STRINGS_H_
#define PARTNER_MATCH_ENGINE_COMMON_STRINGS_H_

#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"

namespace pm {

inline absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view Std(absl::string_view s) { return {s.data(), s.size()}; }

inline bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

inline bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

// `s` without leading and trailing ASCII white space.
// The pieces of `s` between `separator`s: "a;b;" -> {"a", "b", ""}.
inline std::vector<std::string_view> Split(std::string_view s,
                                           char separator) {
  std::vector<std::string_view> pieces;
  while (true) {
    const size_t at = s.find(separator);
    pieces.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return pieces;
    s.remove_prefix(at + 1);
  }
}

inline std::string_view TrimmedAscii(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_COMMON_STRINGS_H_
