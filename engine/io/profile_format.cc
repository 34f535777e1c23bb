#include "engine/io/profile_format.h"

#include <algorithm>
#include <cassert>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/common/quote.h"
#include "engine/common/strings.h"
#include "engine/text/text_analyzer.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"

namespace pm {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";


absl::Status FieldError(std::string_view field, std::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("field '", Sv(field), "': ", Sv(problem)));
}

absl::Status MissingField(std::string_view field) {
  return absl::InvalidArgumentError(
      absl::StrCat("missing field '", Sv(field), "'"));
}

// Valid UTF-8 without NUL characters (which JSON can carry as \u0000 but
// no text of a place holds, and which C APIs downstream would cut at).
absl::Status CheckUtf8(std::string_view field, std::string_view value) {
  absl::Status status = ValidateUtf8(value);
  if (!status.ok()) return FieldError(field, Std(status.message()));
  if (const size_t at = value.find('\0'); at != std::string_view::npos) {
    return FieldError(field, absl::StrCat("a NUL character (\\u0000) at byte ",
                                          at));
  }
  return absl::OkStatus();
}

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' ||
           c == '_' || c == '-';
  });
}

absl::Status CheckId(std::string_view field, std::string_view id) {
  if (IsValidId(id)) return absl::OkStatus();
  return FieldError(field, absl::StrCat(QuoteInput(id), " is not 1-", kMaxIdBytes,
                                        " characters of [a-z0-9._-]"));
}

absl::Status CheckSize(std::string_view field, std::string_view value,
                       size_t limit) {
  if (value.size() <= limit) return absl::OkStatus();
  return FieldError(
      field, absl::StrCat(value.size(), " bytes, more than the limit of ",
                          limit, " bytes"));
}

void Trim(std::string& s) { absl::StripAsciiWhitespace(&s); }

absl::Status NormalizeKnownPartners(Profile& profile) {
  std::vector<std::string>& partners = profile.known_partners;
  if (partners.size() > kMaxKnownPartners) {
    return FieldError(
        "known_partners",
        absl::StrCat(partners.size(), " ids, more than the limit of ",
                     kMaxKnownPartners));
  }
  std::unordered_set<std::string> seen;
  std::vector<std::string> unique;
  for (std::string& partner : partners) {
    Trim(partner);
    absl::Status status = CheckUtf8("known_partners", partner);
    if (!status.ok()) return status;
    status = CheckId("known_partners", partner);
    if (!status.ok()) return status;
    if (partner == profile.id) {
      return FieldError(
          "known_partners",
          absl::StrCat("lists the profile itself ('", partner, "')"));
    }
    // A repeated partner says nothing new: keep its first mention.
    if (seen.insert(partner).second) unique.push_back(std::move(partner));
  }
  partners = std::move(unique);
  return absl::OkStatus();
}

// ---- JSON Lines helpers -------------------------------------------------

// One member of a JSON object, as raw text: the key between its quotes
// (escapes undecoded) and the value as written.
struct JsonMember {
  std::string_view key;
  std::string_view value;
};

size_t SkipSpace(std::string_view s, size_t i) {
  while (i < s.size() &&
         (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) {
    ++i;
  }
  return i;
}

// `s[i]` is '"'; the index after the closing quote, or npos.
size_t SkipString(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// The index after the JSON value starting at `s[i]`, or npos.
size_t SkipValue(std::string_view s, size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') return SkipString(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '"') {
        i = SkipString(s, i);
        if (i == std::string_view::npos) return i;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') --depth;
      ++i;
      if (depth == 0) return i;
    }
    return std::string_view::npos;
  }
  constexpr std::string_view kScalarEnd = ",}] \t\r\n";
  while (i < s.size() && kScalarEnd.find(s[i]) == std::string_view::npos) ++i;
  return i;
}

// The members of the top-level JSON object in `json`, in order. A lenient
// scanner for messages only, run where protobuf has parsed or refused the
// line; false when `json` does not even look like an object.
bool ScanTopLevelMembers(std::string_view json,
                         std::vector<JsonMember>& members) {
  size_t i = SkipSpace(json, 0);
  if (i >= json.size() || json[i] != '{') return false;
  i = SkipSpace(json, i + 1);
  while (i < json.size() && json[i] != '}') {
    if (json[i] != '"') return false;
    const size_t key_end = SkipString(json, i);
    if (key_end == std::string_view::npos) return false;
    const std::string_view key = json.substr(i + 1, key_end - i - 2);
    i = SkipSpace(json, key_end);
    if (i >= json.size() || json[i] != ':') return false;
    i = SkipSpace(json, i + 1);
    const size_t value_end = SkipValue(json, i);
    if (value_end == std::string_view::npos) return false;
    members.push_back({key, json.substr(i, value_end - i)});
    i = SkipSpace(json, value_end);
    if (i < json.size() && json[i] == ',') i = SkipSpace(json, i + 1);
  }
  return i < json.size();
}

// The problem with a line that is not valid UTF-8, naming the field whose
// value holds the bad bytes when the scanner finds it ("field 'text':
// invalid UTF-8 at byte N", N counted from the start of the value's
// characters), else the byte within the line.
std::string DescribeInvalidUtf8(std::string_view line,
                                const absl::Status& line_status) {
  std::vector<JsonMember> members;
  ScanTopLevelMembers(line, members);  // partial results are still useful
  for (const JsonMember& member : members) {
    if (!ValidateUtf8(member.key).ok()) {
      return absl::StrCat("a field name: ", ValidateUtf8(member.key).message());
    }
    std::string_view value = member.value;
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    absl::Status status = ValidateUtf8(value);
    if (!status.ok()) {
      return absl::StrCat("field '", Sv(member.key), "': ", status.message());
    }
  }
  return std::string(line_status.message());
}

const google::protobuf::Descriptor& ProfileDescriptor() {
  return *partnermatch::v1::Profile::descriptor();
}

// The proto field a JSON key names (proto name or lowerCamelCase JSON
// name), or nullptr.
const google::protobuf::FieldDescriptor* FieldForKey(std::string_view key) {
  const google::protobuf::Descriptor& d = ProfileDescriptor();
  for (int i = 0; i < d.field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d.field(i);
    if (key == f->name() || key == f->json_name()) return f;
  }
  return nullptr;
}

std::string ExpectedFieldList() {
  std::vector<std::string> names;
  const google::protobuf::Descriptor& d = ProfileDescriptor();
  for (int i = 0; i < d.field_count(); ++i) names.push_back(d.field(i)->name());
  return absl::StrJoin(names, ", ");
}

std::string_view ReadableType(std::string_view type) {
  if (type.find("INT") != std::string_view::npos) return "an integer";
  if (type == "TYPE_STRING") return "a string";
  if (type == "TYPE_BOOL") return "true or false";
  if (type == "TYPE_DOUBLE" || type == "TYPE_FLOAT") return "a number";
  return type;
}

// At most `n` bytes of `s`, not cutting a UTF-8 character.
std::string_view Snippet(std::string_view s, size_t n) {
  if (s.size() <= n) return s;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// Protobuf's JSON parser messages (3.21), made readable:
//   "foo: Cannot find field."                 -> unknown field 'foo' (...)
//   "(population): invalid value "x" for type TYPE_INT64"
//                                             -> field 'population': ...
//   "Unexpected token.\n<context>\n<caret>"  -> invalid JSON: ... at '...'
std::string ReadableJsonError(std::string_view message) {
  constexpr std::string_view kNoField = ": Cannot find field.";
  if (EndsWith(message, kNoField)) {
    const std::string_view path =
        message.substr(0, message.size() - kNoField.size());
    return absl::StrCat("unknown field '", Sv(path), "' (expected ",
                        ExpectedFieldList(), ")");
  }
  if (StartsWith(message, "(")) {
    const std::string_view rest = message.substr(1);
    const size_t close = rest.find("): invalid value ");
    const size_t type_at = rest.rfind(" for type ");
    if (close != std::string_view::npos && type_at != std::string_view::npos &&
        type_at > close) {
      const std::string_view field = rest.substr(0, close);
      const size_t value_at =
          close + std::string_view("): invalid value ").size();
      const std::string_view value = rest.substr(value_at, type_at - value_at);
      const std::string_view type =
          rest.substr(type_at + std::string_view(" for type ").size());
      return absl::StrCat("field '", Sv(field), "': invalid value ", Sv(value),
                          " (expected ", Sv(ReadableType(type)), ")");
    }
  }
  const std::vector<std::string_view> parts = Split(message, '\n');
  std::string head(parts[0]);
  if (EndsWith(head, ".")) head.pop_back();
  if (!head.empty()) head[0] = absl::ascii_tolower(head[0]);
  std::string result = absl::StrCat("invalid JSON: ", head);
  if (parts.size() >= 3) {
    const size_t caret = parts[2].find('^');
    if (caret != std::string_view::npos && caret <= parts[1].size()) {
      const std::string_view at = parts[1].substr(caret);
      absl::StrAppend(&result,
                      at.empty()
                          ? std::string(" at the end of the line")
                          : absl::StrCat(" at '", Sv(Snippet(at, 24)), "'"));
    }
  }
  return result;
}

// Whether `value` is null or a JSON array of strings (no nested arrays).
bool IsStringArray(std::string_view value) {
  if (value == "null") return true;
  if (value.empty() || value[0] != '[') return false;
  size_t i = SkipSpace(value, 1);
  if (i < value.size() && value[i] == ']') return i + 1 == value.size();
  while (i < value.size() && value[i] == '"') {
    i = SkipString(value, i);
    if (i == std::string_view::npos) return false;
    i = SkipSpace(value, i);
    if (i < value.size() && value[i] == ']') return i + 1 == value.size();
    if (i >= value.size() || value[i] != ',') return false;
    i = SkipSpace(value, i + 1);
  }
  return false;
}

// What proto3 JSON parsing lets through that the file format refuses: a
// field given twice (also as "knownPartners" and "known_partners"),
// "eu_member" as anything but true, false or null (protobuf reads the
// string "yes" as true), and "known_partners" as anything but an array of
// strings (protobuf takes "abc" for ["abc"], and flattens nested arrays).
absl::Status CheckMembers(std::string_view line) {
  std::vector<JsonMember> members;
  if (!ScanTopLevelMembers(line, members)) return absl::OkStatus();
  std::unordered_set<const google::protobuf::FieldDescriptor*> seen;
  for (const JsonMember& member : members) {
    const google::protobuf::FieldDescriptor* field = FieldForKey(member.key);
    if (field == nullptr) continue;  // an escaped key protobuf understood
    if (!seen.insert(field).second) {
      return FieldError(field->name(), "given twice");
    }
    if (field->name() == "eu_member" && member.value != "true" &&
        member.value != "false" && member.value != "null") {
      return FieldError(field->name(),
                        absl::StrCat("expected true or false, got ",
                                     Sv(Snippet(member.value, 24))));
    }
    if (field->name() == "known_partners" && !IsStringArray(member.value)) {
      return FieldError(field->name(),
                        absl::StrCat("expected an array of ids, got ",
                                     Sv(Snippet(member.value, 24))));
    }
  }
  return absl::OkStatus();
}

// The first raw control character (below U+0020, tab aside) in `line`, by
// the field it stands in: JSON strings must escape them, and protobuf's
// parser lets a raw NUL through.
absl::Status CheckControlCharacters(std::string_view line) {
  const auto bad = std::find_if(line.begin(), line.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\r';
  });
  if (bad == line.end()) return absl::OkStatus();
  const size_t at = static_cast<size_t>(bad - line.begin());
  const std::string problem = absl::StrFormat(
      "a raw control character (byte 0x%02x); JSON strings must escape it",
      static_cast<unsigned char>(*bad));
  std::vector<JsonMember> members;
  ScanTopLevelMembers(line, members);
  for (const JsonMember& member : members) {
    const size_t begin = static_cast<size_t>(member.value.data() - line.data());
    if (at >= begin && at < begin + member.value.size()) {
      return FieldError(member.key, problem);
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("invalid JSON: ", problem));
}

// One non-blank line to a normalised profile; the error names no line.
absl::StatusOr<Profile> ParseProfileLine(std::string_view line,
                                         const Gazetteer& gazetteer) {
  if (absl::Status utf8 = ValidateUtf8(line); !utf8.ok()) {
    return absl::InvalidArgumentError(DescribeInvalidUtf8(line, utf8));
  }
  if (absl::Status s = CheckControlCharacters(line); !s.ok()) return s;
  const size_t first = SkipSpace(line, 0);
  if (first >= line.size() || line[first] != '{') {
    return absl::InvalidArgumentError(
        "invalid JSON: a profile line must be a JSON object");
  }
  partnermatch::v1::Profile proto;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed =
      google::protobuf::util::JsonStringToMessage(line, &proto, options);
  if (!parsed.ok()) {
    const std::string message(parsed.message().data(), parsed.message().size());
    return absl::InvalidArgumentError(ReadableJsonError(message));
  }
  if (absl::Status members = CheckMembers(line); !members.ok()) return members;
  // Required fields, in the order of the .proto.
  if (proto.id().empty()) return MissingField("id");
  if (proto.name().empty()) return MissingField("name");
  if (proto.kind().empty()) return MissingField("kind");
  if (proto.country().empty()) return MissingField("country");
  if (proto.text().empty()) return MissingField("text");
  absl::StatusOr<Profile> profile = ProfileFromProto(proto);
  if (!profile.ok()) return profile.status();
  if (absl::Status s = NormalizeProfile(*profile, gazetteer); !s.ok()) return s;
  return profile;
}

}  // namespace

absl::Status NormalizeProfile(Profile& profile, const Gazetteer& gazetteer) {
  Trim(profile.id);
  if (profile.id.empty()) return MissingField("id");
  if (absl::Status s = CheckUtf8("id", profile.id); !s.ok()) return s;
  if (absl::Status s = CheckId("id", profile.id); !s.ok()) return s;

  Trim(profile.name);
  if (profile.name.empty()) return MissingField("name");
  if (absl::Status s = CheckUtf8("name", profile.name); !s.ok()) return s;
  if (absl::Status s = CheckSize("name", profile.name, kMaxProfileNameBytes);
      !s.ok()) {
    return s;
  }

  Trim(profile.country);
  if (profile.country.empty()) return MissingField("country");
  if (absl::Status s = CheckUtf8("country", profile.country); !s.ok()) return s;
  absl::AsciiStrToUpper(&profile.country);
  if (gazetteer.Find(profile.country) == nullptr) {
    return FieldError("country", absl::StrCat("unknown country code ",
                                              QuoteInput(profile.country)));
  }

  Trim(profile.text);
  if (profile.text.empty()) return MissingField("text");
  if (absl::Status s = CheckUtf8("text", profile.text); !s.ok()) return s;
  if (absl::Status s = CheckSize("text", profile.text, kMaxProfileTextBytes);
      !s.ok()) {
    return s;
  }

  if (profile.population < 0) {
    return FieldError("population",
                      absl::StrCat(profile.population, " is negative"));
  }

  Trim(profile.world_region);
  if (absl::Status s = CheckUtf8("world_region", profile.world_region);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckSize("world_region", profile.world_region,
                                 kMaxWorldRegionBytes);
      !s.ok()) {
    return s;
  }
  return NormalizeKnownPartners(profile);
}

absl::StatusOr<Profile> ProfileFromProto(const partnermatch::v1::Profile& p) {
  Profile profile;
  if (p.kind().empty()) return MissingField("kind");
  std::optional<PlaceKind> kind = ParsePlaceKind(p.kind());
  if (!kind.has_value()) {
    return FieldError("kind",
                      absl::StrCat("unknown kind ", QuoteInput(p.kind()),
                                   " (expected city, region or association)"));
  }
  profile.kind = *kind;
  profile.id = p.id();
  profile.name = p.name();
  profile.country = p.country();
  profile.text = p.text();
  profile.population = p.population();
  profile.known_partners.assign(p.known_partners().begin(),
                                p.known_partners().end());
  if (p.has_eu_member()) profile.eu_member = p.eu_member();
  profile.world_region = p.world_region();
  return profile;
}

partnermatch::v1::Profile ProfileToProto(const Profile& profile) {
  partnermatch::v1::Profile p;
  p.set_id(profile.id);
  p.set_name(profile.name);
  p.set_kind(std::string(PlaceKindName(profile.kind)));
  p.set_country(profile.country);
  p.set_text(profile.text);
  p.set_population(profile.population);
  for (const std::string& partner : profile.known_partners) {
    p.add_known_partners(partner);
  }
  if (profile.eu_member.has_value()) p.set_eu_member(*profile.eu_member);
  p.set_world_region(profile.world_region);
  return p;
}

absl::StatusOr<std::vector<Profile>> ParseProfilesJsonl(
    std::string_view content, std::string_view source,
    const Gazetteer& gazetteer, std::vector<size_t>* lines) {
  std::vector<Profile> profiles;
  std::unordered_map<std::string, size_t> line_of_id;
  size_t line_number = 0;
  for (std::string_view line : Split(content, '\n')) {
    ++line_number;
    const auto error = [&](absl::string_view problem) {
      return absl::InvalidArgumentError(
          absl::StrCat(Sv(source), ":", line_number, ": ", problem));
    };
    if (line_number == 1 && StartsWith(line, kUtf8Bom)) {
      line.remove_prefix(kUtf8Bom.size());
    }
    if (line.size() > kMaxProfileLineBytes) {
      return error(absl::StrCat("line is ", line.size(),
                                " bytes, more than the limit of ",
                                kMaxProfileLineBytes, " bytes"));
    }
    if (TrimmedAscii(line).empty()) continue;
    absl::StatusOr<Profile> profile = ParseProfileLine(line, gazetteer);
    if (!profile.ok()) return error(profile.status().message());
    auto [it, inserted] = line_of_id.emplace(profile->id, line_number);
    if (!inserted) {
      return error(absl::StrCat("field 'id': duplicate id '", profile->id,
                                "' (first on line ", it->second, ")"));
    }
    profiles.push_back(*std::move(profile));
    if (lines != nullptr) lines->push_back(line_number);
  }
  return profiles;
}

namespace {

std::string ToJsonLine(const Profile& profile, bool all_fields) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = false;
  options.always_print_primitive_fields = all_fields;
  std::string line;
  const auto status = google::protobuf::util::MessageToJsonString(
      ProfileToProto(profile), &line, options);
  // Fails only for invalid UTF-8, which NormalizeProfile refuses.
  assert(status.ok());
  (void)status;
  return line;
}

}  // namespace

std::string ProfileToJsonLine(const Profile& profile) {
  return ToJsonLine(profile, /*all_fields=*/false);
}

std::string DraftToJsonLine(const Profile& draft) {
  return ToJsonLine(draft, /*all_fields=*/true);
}

}  // namespace pm
