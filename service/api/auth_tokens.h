// Bearer tokens of the service: who may call, and whether they may write.
// A token file has one token a line, "NAME TOKEN" for a token that may read
// and write, "NAME TOKEN read" for a read-only one; blank lines and lines
// starting with '#' are skipped. NAME says who the caller is (the `who` of
// the decisions it records): 1-64 of [A-Za-z0-9._@-]. TOKEN: 16-256
// printable ASCII characters, no space. Names and tokens are unique.
#ifndef PARTNER_MATCH_SERVICE_API_AUTH_TOKENS_H_
#define PARTNER_MATCH_SERVICE_API_AUTH_TOKENS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace pm::service {

// What a call does: reads, or writes (UpsertProfiles, DeleteProfile,
// RecordDecision).
enum class Access { kRead, kWrite };

class AuthTokens {
 public:
  static constexpr size_t kMinTokenBytes = 16;
  static constexpr size_t kMaxTokenBytes = 256;
  static constexpr size_t kMaxNameBytes = 64;
  // Token files larger than this are refused.
  static constexpr size_t kMaxFileBytes = 1 << 20;

  // The tokens of a token file's `content`; INVALID_ARGUMENT
  // "<source>:<line>: <problem>" for a malformed line, a repeated name or
  // token, or no token at all.
  static absl::StatusOr<AuthTokens> Parse(std::string_view content,
                                          std::string_view source);
  // Parse of the file at `path`; NOT_FOUND when it cannot be read.
  static absl::StatusOr<AuthTokens> Load(const std::string& path);

  // The name of the caller whose `authorization` metadata value
  // ("Bearer <token>") grants `access`: UNAUTHENTICATED when the value is
  // missing, malformed or names no token; PERMISSION_DENIED for a write
  // with a read-only token. Every token is compared in constant time (the
  // time does not depend on where a guess first differs), and all of them
  // are compared whatever matches.
  absl::StatusOr<std::string> Authorize(std::string_view authorization,
                                        Access access) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string name;
    std::string token;
    bool read_only = false;
  };
  std::vector<Entry> entries_;
};

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_API_AUTH_TOKENS_H_
