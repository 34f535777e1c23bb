// Page tokens of the listing calls: the position after which the next page
// starts (the last id served, or the last decision's sequence number),
// behind a version prefix naming the listing, in web-safe base64, so that
// clients treat a token as opaque and a later format can be told apart.
#ifndef PARTNER_MATCH_SERVICE_API_PAGE_TOKEN_H_
#define PARTNER_MATCH_SERVICE_API_PAGE_TOKEN_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pm::service {

inline constexpr absl::string_view kProfilesTokenPrefix = "pm1:";
inline constexpr absl::string_view kDecisionsTokenPrefix = "pmd1:";

// The longest page token a request may carry: room for the longest token
// EncodePageToken makes (a prefix and a 64-byte position in base64).
inline constexpr size_t kMaxPageTokenBytes = 128;

std::string EncodePageToken(absl::string_view prefix,
                            absl::string_view position);

// The position in `token`, which must carry `prefix` and a position of 1-64
// characters that `valid` accepts; otherwise INVALID_ARGUMENT "field
// 'page_token': not a token from a previous <rpc> response; …".
absl::StatusOr<std::string> DecodePageToken(const std::string& token,
                                            absl::string_view prefix,
                                            absl::string_view rpc,
                                            bool (*valid)(const std::string&));

// Validators for DecodePageToken: a stored id (1-64 of [a-z0-9._-]), and a
// decimal sequence number.
bool IdLike(const std::string& s);
bool Digits(const std::string& s);

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_API_PAGE_TOKEN_H_
