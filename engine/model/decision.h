// Coordinators' decisions about pairs of places: an append-only audit log.
#ifndef PARTNER_MATCH_ENGINE_MODEL_DECISION_H_
#define PARTNER_MATCH_ENGINE_MODEL_DECISION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pm {

enum class DecisionKind {
  kAccepted,  // the pair was agreed: kept in plans, not suggested as new
  kDeclined,  // the pair was turned down: never suggested or planned
  kExisting,  // the places already cooperate: not suggested again as new
};

// "accepted", "declined", "existing".
const char* DecisionKindName(DecisionKind kind);
// Case-insensitive; nullopt for anything else.
std::optional<DecisionKind> ParseDecisionKind(std::string_view name);

// One recorded decision. The pair is unordered; the latest decision about a
// pair is the one in force, earlier ones stay in the log.
struct Decision {
  int64_t sequence = 0;  // assigned when stored: 1, 2, ... in record order
  std::string profile_id;
  std::string partner_id;
  DecisionKind kind = DecisionKind::kAccepted;
  std::string who;  // the coordinator, free text, required
  std::string why;  // free text, may be empty
  int64_t recorded_at_unix_micros = 0;  // assigned when stored
};

// Limits on the free-text fields, in bytes.
inline constexpr size_t kMaxDecisionWhoBytes = 200;
inline constexpr size_t kMaxDecisionWhyBytes = 4000;

}  // namespace pm

#endif  // PARTNER_MATCH_ENGINE_MODEL_DECISION_H_
