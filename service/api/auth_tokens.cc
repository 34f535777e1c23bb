#include "service/api/auth_tokens.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "engine/common/quote.h"
#include "engine/common/strings.h"

namespace pm::service {
namespace {

constexpr std::string_view kBearer = "Bearer ";

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '@' || c == '-';
}

bool IsTokenChar(char c) { return c > ' ' && c < 0x7f; }

// Whether `a` equals `b`, in time that depends on their lengths only.
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  const size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? a[i] : 0;
    const unsigned char y = i < b.size() ? b[i] : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

// The space-separated words of `line`.
std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  for (std::string_view w : Split(line, ' ')) {
    w = TrimmedAscii(w);
    if (!w.empty()) words.push_back(w);
  }
  return words;
}

}  // namespace

absl::StatusOr<AuthTokens> AuthTokens::Parse(std::string_view content,
                                             std::string_view source) {
  AuthTokens tokens;
  size_t line_number = 0;
  for (std::string_view line : Split(content, '\n')) {
    ++line_number;
    const auto error = [&](const std::string& problem) {
      return absl::InvalidArgumentError(
          absl::StrCat(Sv(source), ":", line_number, ": ", problem));
    };
    std::string tabs_as_spaces(TrimmedAscii(line));
    std::replace(tabs_as_spaces.begin(), tabs_as_spaces.end(), '\t', ' ');
    if (tabs_as_spaces.empty() || tabs_as_spaces[0] == '#') continue;
    const std::vector<std::string_view> words = Words(tabs_as_spaces);
    if (words.size() < 2 || words.size() > 3 ||
        (words.size() == 3 && words[2] != "read")) {
      return error(
          "expected 'NAME TOKEN' or 'NAME TOKEN read' (a read-only token)");
    }
    const std::string_view name = words[0], token = words[1];
    if (name.size() > kMaxNameBytes ||
        !std::all_of(name.begin(), name.end(), IsNameChar)) {
      return error(absl::StrCat("name ", QuoteInput(name), " is not 1-",
                                kMaxNameBytes,
                                " characters of [A-Za-z0-9._@-]"));
    }
    // The token itself is never quoted: it is a secret.
    if (token.size() < kMinTokenBytes || token.size() > kMaxTokenBytes ||
        !std::all_of(token.begin(), token.end(), IsTokenChar)) {
      return error(absl::StrCat("the token of ", QuoteInput(name), " is not ",
                                kMinTokenBytes, "-", kMaxTokenBytes,
                                " printable ASCII characters"));
    }
    for (const Entry& e : tokens.entries_) {
      if (e.name == name) {
        return error(absl::StrCat("name ", QuoteInput(name), " given twice"));
      }
      if (e.token == token) {
        return error(absl::StrCat("the token of ", QuoteInput(name),
                                  " is also ", QuoteInput(e.name), "'s"));
      }
    }
    tokens.entries_.push_back(
        {std::string(name), std::string(token), words.size() == 3});
  }
  if (tokens.entries_.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Sv(source), ": no token (one a line: NAME TOKEN [read])"));
  }
  return tokens;
}

absl::StatusOr<AuthTokens> AuthTokens::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the token file ", QuoteInput(path)));
  }
  const std::string content((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
  if (content.size() > kMaxFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("token file ", QuoteInput(path), " is larger than ",
                     kMaxFileBytes, " bytes"));
  }
  return Parse(content, path);
}

absl::StatusOr<std::string> AuthTokens::Authorize(
    std::string_view authorization, Access access) const {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "this call needs a token: send the metadata 'authorization: Bearer "
        "<token>'");
  }
  if (!StartsWith(authorization, kBearer)) {
    return absl::UnauthenticatedError(
        "the 'authorization' metadata must be 'Bearer <token>'");
  }
  const std::string_view token = authorization.substr(kBearer.size());
  const Entry* match = nullptr;
  for (const Entry& e : entries_) {  // no early exit: compare every token
    if (ConstantTimeEquals(token, e.token)) match = &e;
  }
  if (match == nullptr) {
    return absl::UnauthenticatedError("the bearer token is not valid");
  }
  if (access == Access::kWrite && match->read_only) {
    return absl::PermissionDeniedError(
        absl::StrCat("the token of ", QuoteInput(match->name),
                     " is read-only; this call writes"));
  }
  return match->name;
}

}  // namespace pm::service
