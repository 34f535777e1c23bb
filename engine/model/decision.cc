#include "engine/model/decision.h"

#include <string>

#include "absl/strings/ascii.h"

namespace pm {

const char* DecisionKindName(DecisionKind kind) {
  switch (kind) {
    case DecisionKind::kAccepted:
      return "accepted";
    case DecisionKind::kDeclined:
      return "declined";
    case DecisionKind::kExisting:
      return "existing";
  }
  return "accepted";
}

std::optional<DecisionKind> ParseDecisionKind(std::string_view name) {
  const std::string lower = absl::AsciiStrToLower(std::string(name));
  if (lower == "accepted") return DecisionKind::kAccepted;
  if (lower == "declined") return DecisionKind::kDeclined;
  if (lower == "existing") return DecisionKind::kExisting;
  return std::nullopt;
}

}  // namespace pm
