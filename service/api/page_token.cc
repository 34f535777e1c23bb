#include "service/api/page_token.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace pm::service {

std::string EncodePageToken(absl::string_view prefix,
                            absl::string_view position) {
  return absl::WebSafeBase64Escape(absl::StrCat(prefix, position));
}

absl::StatusOr<std::string> DecodePageToken(const std::string& token,
                                            absl::string_view prefix,
                                            absl::string_view rpc,
                                            bool (*valid)(const std::string&)) {
  const absl::Status malformed = absl::InvalidArgumentError(absl::StrCat(
      "field 'page_token': not a token from a previous ", rpc,
      " response; omit it to start from the first page"));
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded) ||
      !absl::StartsWith(decoded, prefix)) {
    return malformed;
  }
  std::string position = decoded.substr(prefix.size());
  if (position.empty() || position.size() > 64 || !valid(position)) {
    return malformed;
  }
  return position;
}

bool IdLike(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

bool Digits(const std::string& s) {
  return s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
}

}  // namespace pm::service
