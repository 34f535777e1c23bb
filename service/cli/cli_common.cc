#include "service/cli/cli_common.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/common/status_macros.h"
#include "engine/io/profile_format.h"
#include "engine/store/profile_store.h"
#include "engine/store/store.h"
#include "service/convert.h"

namespace pm::cli {

namespace v1 = partnermatch::v1;

void AddProfilesOption(CLI::App* cmd, Context& ctx) {
  cmd->add_option("--profiles", ctx.profiles,
                  "Work on this JSON Lines file instead of the store")
      ->check(CLI::ExistingFile);
}

void AddJsonFlag(CLI::App* cmd, Context& ctx) {
  cmd->add_flag("--json", ctx.json, "Print JSON (shapes in the README)");
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    return absl::NotFoundError(
        absl::StrCat("cannot read '", path, "': ", ec.message()));
  }
  if (size > kMaxInputFileBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("'", path, "' is ", size, " bytes; at most ",
                     kMaxInputFileBytes, " bytes are read"));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string StorePath(const Context& ctx) {
  return ctx.db.empty() ? DefaultStorePath() : ctx.db;
}

absl::StatusOr<std::unique_ptr<ProfileCatalog>> OpenCatalog(
    const Context& common, MissingStore missing) {
  if (!common.profiles.empty()) {
    PM_ASSIGN_OR_RETURN(std::string content, ReadFile(common.profiles));
    PM_ASSIGN_OR_RETURN(
        std::vector<Profile> profiles,
        ParseProfilesJsonl(content, common.profiles, Gazetteer::Bundled()));
    return ProfileCatalog::InMemory(std::move(profiles), common.progress);
  }
  const std::string path = StorePath(common);
  const bool may_create =
      missing == MissingStore::kCreateAtDefaultPath && common.db.empty();
  std::error_code ec;
  // A PostgreSQL database is created by its administrator; OpenStore
  // creates the schema in it.
  if (!may_create && !IsPostgresUrl(path) &&
      !std::filesystem::exists(path, ec)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no store at '", path, "'; create one with 'partner-match ",
        common.db.empty() ? "" : absl::StrCat("--db ", path, " "),
        "init' (add --empty for an empty one), or check the path"));
  }
  return ProfileCatalog::OpenStore(path, /*empty=*/false, common.progress);
}

int Fail(const absl::Status& status) {
  std::cerr << "partner-match: error: " << status.message() << "\n";
  return 1;
}

void PrintJson(const google::protobuf::Message& message) {
  std::cout << service::ToJson(message) << "\n";
}

std::string Describe(const IndexedProfile& p) {
  return absl::StrCat(p.profile.name, " (", p.profile.id, " · ",
                      PlaceKindName(p.profile.kind), " · ", p.profile.country,
                      " · ", p.eu_member ? "EU member" : "partner country",
                      ")");
}

std::string Quote(const v1::Evidence& evidence) {
  static const bool tty = ::isatty(STDOUT_FILENO) == 1;
  const std::string& sentence = evidence.sentence();
  const std::string& text = evidence.text();
  // Where the evidence stands in its sentence (not merely the first equal
  // substring: "culture" inside "agriculture").
  const size_t at = evidence.begin() - evidence.sentence_begin();
  const bool marked = evidence.begin() >= evidence.sentence_begin() &&
                      at + text.size() <= sentence.size() && !text.empty();
  // The part [begin, end) shown: the whole sentence when it is short, else
  // kMaxQuoteBytes around the highlighted words, which are always kept.
  size_t begin = 0;
  size_t end = std::min(sentence.size(), kMaxQuoteBytes);
  if (marked && sentence.size() > kMaxQuoteBytes) {
    const size_t room =
        kMaxQuoteBytes > text.size() ? kMaxQuoteBytes - text.size() : 0;
    begin = at - std::min(at, room / 2);
    end = std::min(sentence.size(),
                   begin + std::max(kMaxQuoteBytes, text.size()));
    if (end - begin < kMaxQuoteBytes) {
      begin = end > kMaxQuoteBytes ? end - kMaxQuoteBytes : 0;
    }
  }
  const auto continuation = [&](size_t i) {
    return i < sentence.size() &&
           (static_cast<unsigned char>(sentence[i]) & 0xC0) == 0x80;
  };
  while (begin > 0 && continuation(begin)) --begin;  // whole UTF-8 sequences
  while (end > begin && continuation(end)) --end;
  std::string shown;
  if (marked) {
    shown = absl::StrCat(sentence.substr(begin, at - begin),
                         tty ? "\033[1m" : "[", text, tty ? "\033[0m" : "]",
                         sentence.substr(at + text.size(),
                                         end - at - text.size()));
  } else {
    shown = sentence.substr(begin, end - begin);
  }
  return absl::StrCat("\"", begin > 0 ? "…" : "", shown,
                      end < sentence.size() ? "…" : "", "\"");
}


size_t CodePoints(const std::string& text) {
  size_t chars = 0;
  for (char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return chars;
}

std::string PadRight(const std::string& text, size_t width) {
  const size_t chars = CodePoints(text);
  return chars >= width ? text + " " : text + std::string(width - chars, ' ');
}

}  // namespace pm::cli
