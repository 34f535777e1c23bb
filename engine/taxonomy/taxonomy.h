// The theme taxonomy: theme ids, labels, definitions and phrases, and the cue
// phrases that give a theme its role. Loaded from the proto3 JSON of the
// Taxonomy message (data/taxonomy.json).
#ifndef PARTNER_MATCH_ENGINE_TAXONOMY_TAXONOMY_H_
#define PARTNER_MATCH_ENGINE_TAXONOMY_TAXONOMY_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace pm {

struct Theme {
  std::string id;  // e.g. "water"
  std::string label;
  std::string definition;
  std::vector<std::string> phrases;       // prove the theme on their own
  std::vector<std::string> weak_phrases;  // weak support only
};

// Immutable after construction; safe to share between threads.
class Taxonomy {
 public:
  // Parses the proto3 JSON of partnermatch.v1.Taxonomy (unknown fields are
  // refused). On error returns INVALID_ARGUMENT with a message starting with
  // "<source>: " and naming the theme id or the field:
  //   malformed JSON or an unknown field: "malformed taxonomy JSON: ...";
  //   no themes at all: "the taxonomy has no themes";
  //   "themes[I] has an empty id"; "themes[I]: duplicate theme id \"ID\"";
  //   a theme without phrases: "theme \"ID\": no phrases";
  //   an empty phrase (one without a letter or digit, such as "" or "-"):
  //   "theme \"ID\": phrases[K] \"TEXT\" has no words", likewise for
  //   weak_phrases, and "offer_cues[K] ..." / "seek_cues[K] ..." for cues.
  static absl::StatusOr<Taxonomy> ParseJson(std::string_view json,
                                            std::string_view source);
  // The bundled default taxonomy (data/taxonomy.json compiled in), parsed
  // once on first use. Aborts the process with a message on stderr if the
  // bundled file does not parse (a build defect, not an input error).
  static const Taxonomy& Bundled();

  const std::vector<Theme>& themes() const { return themes_; }
  int size() const { return static_cast<int>(themes_.size()); }
  // Index of the theme with this id, or -1.
  int IndexOf(std::string_view id) const;

  const std::vector<std::string>& offer_cues() const { return offer_cues_; }
  const std::vector<std::string>& seek_cues() const { return seek_cues_; }

 private:
  std::vector<Theme> themes_;
  std::vector<std::string> offer_cues_;
  std::vector<std::string> seek_cues_;
};

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_TAXONOMY_TAXONOMY_H_
