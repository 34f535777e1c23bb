#include "service/convert.h"

#include "engine/graph/graph_dot.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "engine/io/profile_format.h"
#include "google/protobuf/util/json_util.h"

namespace pm::service {
namespace {

namespace pb = ::partnermatch::v1;

// text[begin, end), clamped to the text: offsets come from the extractor and
// are always in range, but a bug there must not crash the server.
std::string_view Slice(const std::string& text, size_t begin, size_t end) {
  assert(begin <= end && end <= text.size());
  begin = std::min(begin, text.size());
  end = std::clamp(end, begin, text.size());
  return std::string_view(text).substr(begin, end - begin);
}

// The theme at index `theme`, or nullptr outside the taxonomy (a bug
// upstream).
const Theme* ThemeAt(const Taxonomy& taxonomy, int theme) {
  assert(theme >= 0 && theme < taxonomy.size());
  if (theme < 0 || theme >= taxonomy.size()) return nullptr;
  return &taxonomy.themes()[static_cast<size_t>(theme)];
}

void AddEvidence(const IndexedProfile& place, int theme,
                 google::protobuf::RepeatedPtrField<pb::Evidence>* out) {
  const ThemeInterest* interest = place.extraction.Find(theme);
  if (interest == nullptr) return;
  // The strongest proof first: a stated interest or strength before a
  // background fact, a full phrase before a weak one; text order otherwise.
  std::vector<const Evidence*> ordered;
  for (const Evidence& evidence : interest->evidence) ordered.push_back(&evidence);
  auto strength = [](const Evidence* e) {
    return (e->role == Role::kContext ? 2 : 0) + (e->weak ? 1 : 0);
  };
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const Evidence* x, const Evidence* y) {
                     return strength(x) < strength(y);
                   });
  for (const Evidence* evidence : ordered) {
    *out->Add() = ToProto(*evidence, place.profile.text);
  }
}

// A reason's kind as the proto names it (Reason.kind).
const char* ReasonKindName(ReasonKind kind) {
  switch (kind) {
    case ReasonKind::kMutual:
      return "mutual";
    case ReasonKind::kOffers:
      return "offers";
    case ReasonKind::kSeeks:
      return "seeks";
    case ReasonKind::kShared:
      return "shared";
  }
  return "shared";
}

// What a role says a place does with a theme, as a verb phrase.
const char* RoleVerb(Role role) {
  switch (role) {
    case Role::kOffer:
      return "offers";
    case Role::kSeek:
      return "seeks";
    case Role::kBoth:
      return "offers and seeks";
    case Role::kContext:
      return "has a background in";
  }
  return "has a background in";
}

// One sentence naming both places, the theme label and both roles, e.g.
// "Almería offers Water management; Cali seeks it". The asking place comes
// first; "too" marks a theme both places hold in the same role.
// (absl::string_view: Debian's Abseil has its own, not std::string_view.)
std::string Summary(absl::string_view self_name, Role self_role,
                    absl::string_view partner_name, Role partner_role,
                    absl::string_view label) {
  return absl::StrCat(self_name, " ", RoleVerb(self_role), " ", label, "; ",
                      partner_name, " ", RoleVerb(partner_role), " it",
                      self_role == partner_role ? " too" : "");
}

// Code points in text[0, byte): UTF-8 bytes that do not continue a sequence.
uint32_t CharOffset(const std::string& text, size_t byte) {
  uint32_t chars = 0;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    chars += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  }
  return chars;
}

// How many shared terms the text reason quotes as evidence.
constexpr size_t kMaxTextEvidence = 3;

// The latent text part of a score as a reason of its own: kind "text",
// theme "text" (not a taxonomy theme), both roles "context"; the evidence
// is the first occurrence of each of the strongest shared terms in either
// profile (at least one: AddTextReason shows no text reason without), and
// the summary names the terms, e.g. "Lugo and Toyama both
// write about restorative justice, sculpture parks".
pb::Reason TextReasonToProto(const TextReason& text, const IndexedProfile& a,
                             const IndexedProfile& b) {
  pb::Reason out;
  out.set_theme("text");
  out.set_kind("text");
  out.set_self_role(std::string(RoleName(Role::kContext)));
  out.set_partner_role(std::string(RoleName(Role::kContext)));
  out.set_contribution(text.contribution);
  std::string terms;
  for (size_t i = 0; i < text.shared_terms.size(); ++i) {
    const SharedTerm& term = text.shared_terms[i];
    if (i < kMaxTextEvidence) {
      *out.add_self_evidence() = ToProto(term.self_evidence, a.profile.text);
      *out.add_partner_evidence() =
          ToProto(term.partner_evidence, b.profile.text);
    }
    absl::StrAppend(&terms, i == 0 ? "" : ", ", term.term);
  }
  out.set_summary(absl::StrCat(a.profile.name, " and ", b.profile.name,
                               " both write about ", terms));
  return out;
}

// Adds the text reason to `reasons` (largest contribution first) when it is
// not below kMinReasonShare of `score`.
void AddTextReason(const TextReason& text, double score,
                   const IndexedProfile& a, const IndexedProfile& b,
                   google::protobuf::RepeatedPtrField<pb::Reason>* reasons) {
  // Every reason quotes both profiles: without a shared term to show, the
  // text's share of the score is left unexplained rather than explained
  // by nothing.
  if (text.contribution <= 0 || text.contribution < kMinReasonShare * score ||
      text.shared_terms.empty()) {
    return;
  }
  *reasons->Add() = TextReasonToProto(text, a, b);
  for (int i = reasons->size() - 1;
       i > 0 && reasons->Get(i - 1).contribution() < text.contribution; --i) {
    reasons->SwapElements(i, i - 1);
  }
}

}  // namespace

pb::Evidence ToProto(const Evidence& evidence, const std::string& text) {
  pb::Evidence out;
  const std::string_view matched = Slice(text, evidence.begin, evidence.end);
  const std::string_view sentence =
      Slice(text, evidence.sentence_begin, evidence.sentence_end);
  out.set_text(matched.data(), matched.size());
  out.set_sentence(sentence.data(), sentence.size());
  // Profile text is at most kMaxProfileTextBytes, so offsets fit in 32 bits.
  out.set_begin(static_cast<uint32_t>(matched.data() - text.data()));
  out.set_end(
      static_cast<uint32_t>(matched.data() - text.data() + matched.size()));
  out.set_sentence_begin(
      static_cast<uint32_t>(sentence.data() - text.data()));
  out.set_char_begin(CharOffset(text, out.begin()));
  out.set_char_end(CharOffset(text, out.end()));
  return out;
}

pb::ThemeInterest ToProto(const ThemeInterest& interest,
                          const Taxonomy& taxonomy, const std::string& text) {
  pb::ThemeInterest out;
  if (const Theme* theme = ThemeAt(taxonomy, interest.theme)) {
    out.set_theme(theme->id);
  }
  out.set_weight(interest.weight);
  out.set_role(std::string(RoleName(interest.role)));
  for (const Evidence& evidence : interest.evidence) {
    *out.add_evidence() = ToProto(evidence, text);
  }
  return out;
}

pb::Profile ToProfileProto(const IndexedProfile& profile) {
  pb::Profile out = ProfileToProto(profile.profile);
  out.set_eu_member(profile.eu_member);
  out.set_world_region(profile.world_region);
  return out;
}

pb::GetProfileResponse ToProto(const IndexedProfile& profile,
                               const Taxonomy& taxonomy) {
  pb::GetProfileResponse out;
  *out.mutable_profile() = ToProfileProto(profile);
  for (const ThemeInterest& interest : profile.extraction.themes) {
    *out.add_themes() = ToProto(interest, taxonomy, profile.profile.text);
  }
  return out;
}

pb::Reason ToProto(const MatchReason& reason, const MatchIndex& index,
                   size_t self, size_t partner) {
  const IndexedProfile& a = index.at(self);
  const IndexedProfile& b = index.at(partner);
  pb::Reason out;
  const Theme* theme = ThemeAt(index.taxonomy(), reason.theme);
  if (theme != nullptr) out.set_theme(theme->id);
  out.set_kind(ReasonKindName(reason.kind));
  out.set_self_role(std::string(RoleName(reason.self_role)));
  out.set_partner_role(std::string(RoleName(reason.partner_role)));
  out.set_contribution(reason.contribution);
  AddEvidence(a, reason.theme, out.mutable_self_evidence());
  AddEvidence(b, reason.theme, out.mutable_partner_evidence());
  out.set_summary(Summary(a.profile.name, reason.self_role, b.profile.name,
                          reason.partner_role,
                          theme != nullptr ? theme->label : "?"));
  return out;
}

pb::Suggestion ToProto(const PartnerSuggestion& suggestion,
                       const MatchIndex& index, size_t self) {
  pb::Suggestion out;
  const Profile& partner = index.at(suggestion.partner).profile;
  out.set_partner_id(partner.id);
  out.set_name(partner.name);
  out.set_score(suggestion.parts.score);
  out.set_weak(suggestion.weak);
  for (const MatchReason& reason : suggestion.reasons) {
    *out.add_reasons() = ToProto(reason, index, self, suggestion.partner);
  }
  AddTextReason(suggestion.text, suggestion.parts.score, index.at(self),
                index.at(suggestion.partner), out.mutable_reasons());
  for (const std::string& penalty : suggestion.penalties) {
    out.add_penalties(penalty);
  }
  for (const SharedTerm& term : suggestion.text.shared_terms) {
    out.add_shared_terms(term.term);
  }
  return out;
}

pb::ScoreBreakdown ToProto(const ScoreParts& parts) {
  pb::ScoreBreakdown out;
  out.set_shared(parts.shared);
  out.set_gives(parts.gives);
  out.set_gets(parts.gets);
  out.set_reciprocal(parts.reciprocal);
  out.set_penalty_factor(parts.penalty_factor);
  out.set_score(parts.score);
  out.set_latent(parts.latent);
  return out;
}

pb::ExplainMatchResponse ToProto(const PairExplanation& explanation,
                                 const MatchIndex& index, size_t a, size_t b) {
  pb::ExplainMatchResponse out;
  out.set_profile_id(index.at(a).profile.id);
  out.set_partner_id(index.at(b).profile.id);
  *out.mutable_breakdown() = ToProto(explanation.parts);
  for (const MatchReason& reason : explanation.reasons) {
    *out.add_reasons() = ToProto(reason, index, a, b);
  }
  AddTextReason(explanation.text, explanation.parts.score, index.at(a),
                index.at(b), out.mutable_reasons());
  for (const SharedTerm& term : explanation.text.shared_terms) {
    out.add_shared_terms(term.term);
  }
  for (const std::string& penalty : explanation.penalties) {
    out.add_penalties(penalty);
  }
  out.set_eligible(!explanation.exclusion.has_value());
  if (explanation.exclusion) out.set_exclusion(*explanation.exclusion);
  return out;
}

pb::Taxonomy ToProto(const Taxonomy& taxonomy) {
  pb::Taxonomy out;
  for (const Theme& theme : taxonomy.themes()) {
    pb::Theme* t = out.add_themes();
    t->set_id(theme.id);
    t->set_label(theme.label);
    t->set_definition(theme.definition);
    for (const std::string& phrase : theme.phrases) t->add_phrases(phrase);
    for (const std::string& phrase : theme.weak_phrases) {
      t->add_weak_phrases(phrase);
    }
  }
  for (const std::string& cue : taxonomy.offer_cues()) out.add_offer_cues(cue);
  for (const std::string& cue : taxonomy.seek_cues()) out.add_seek_cues(cue);
  return out;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  // Printing fails only for messages the engine cannot produce (e.g. an Any
  // with an unknown type); every string here is valid UTF-8 by construction.
  const auto status =
      google::protobuf::util::MessageToJsonString(message, &json, options);
  assert(status.ok());
  if (!status.ok()) return "{}";
  // No trailing newline: callers print the JSON as one value.
  while (!json.empty() && json.back() == '\n') json.pop_back();
  // Protobuf 3.21 indents by one space and has no option for more. JSON
  // strings hold no raw newlines, so every line starts with its indent:
  // double it.
  std::string out;
  out.reserve(json.size() + json.size() / 4);
  bool at_line_start = true;
  for (const char c : json) {
    if (at_line_start && c == ' ') {
      out += "  ";
      continue;
    }
    at_line_start = c == '\n';
    out += c;
  }
  return out;
}

pb::ProposePairingsResponse ToProto(const PairingPlan& plan,
                                   const MatchIndex& index) {
  pb::ProposePairingsResponse out;
  PlanDot drawing;
  for (const PlannedGroup& group : plan.groups) {
    pb::PlannedGroup* g = out.add_groups();
    PlanDotGroup dot_group{group.members, group.score, group.fixed, {}};
    for (size_t row : group.members) g->add_member_ids(index.at(row).profile.id);
    g->set_kind(GroupKindName(group));
    g->set_score(group.score);
    g->set_fixed(group.fixed);
    g->set_weak(group.weak);
    for (const GroupPair& pair : group.pairs) {
      pb::PairReasons* p = g->add_pairs();
      p->set_profile_id(index.at(pair.a).profile.id);
      p->set_partner_id(index.at(pair.b).profile.id);
      p->set_score(pair.score);
      p->set_weak(pair.weak);
      for (const MatchReason& reason : pair.reasons) {
        *p->add_reasons() = ToProto(reason, index, pair.a, pair.b);
      }
      AddTextReason(pair.text, pair.score, index.at(pair.a), index.at(pair.b),
                    p->mutable_reasons());
      dot_group.pairs.push_back(
          PlanDotPair{pair.a, pair.b, pair.score, pair.same_side, pair.fixed});
    }
    drawing.groups.push_back(std::move(dot_group));
  }
  for (const UnmatchedMember& member : plan.unmatched) {
    pb::UnmatchedMember* u = out.add_unmatched();
    u->set_profile_id(index.at(member.member).profile.id);
    u->set_reason(member.reason);
    u->set_cause(UnmatchedCauseName(member.cause));
    if (member.best_partner) {
      u->set_best_partner_id(index.at(*member.best_partner).profile.id);
      u->set_best_score(member.best_score);
    }
    for (size_t row : member.taken_by) {
      u->add_taken_by_ids(index.at(row).profile.id);
    }
    drawing.unmatched.push_back(member.member);
  }
  out.set_total_score(plan.total_score);
  out.set_pairs_only_score(plan.pairs_only_score);
  out.set_min_trio_gain(plan.min_trio_gain);
  out.set_weak_score(plan.weak_score);
  for (const DecisionConflict& conflict : plan.conflicts) {
    pb::PlanConflict* c = out.add_conflicts();
    c->set_decision(conflict.sequence);
    c->set_profile_id(conflict.profile_id);
    c->set_partner_id(conflict.partner_id);
    c->set_who(conflict.who);
    c->set_rule(conflict.rule);
    c->set_message(conflict.message);
  }
  out.set_dot(PairingPlanDot(index, drawing));
  return out;
}

absl::StatusOr<PairingOptions> FromProto(const pb::PairingOptions& options) {
  PairingOptions out;
  if (options.capacity() != 0) out.capacity = options.capacity();
  out.min_score = options.min_score();
  if (!options.kind_rule().empty()) {
    absl::StatusOr<KindRule> rule = ParseKindRule(options.kind_rule());
    if (!rule.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("field 'kind_rule': ", rule.status().message()));
    }
    out.kind_rule = *rule;
  }
  for (const pb::PairRef& pair : options.fixed()) {
    out.fixed.push_back(IdPair{pair.profile_id(), pair.partner_id()});
  }
  for (const pb::PairRef& pair : options.forbidden()) {
    out.forbidden.push_back(IdPair{pair.profile_id(), pair.partner_id()});
  }
  out.trios = options.trios();
  if (options.max_group_size() != 0) out.max_group_size = options.max_group_size();
  if (options.has_min_trio_gain()) out.min_trio_gain = options.min_trio_gain();
  return out;
}

}  // namespace pm::service
