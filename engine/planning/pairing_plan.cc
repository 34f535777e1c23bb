#include "engine/planning/pairing_plan.h"

namespace pm {

const char* GroupKindName(const PlannedGroup& group) {
  switch (group.members.size()) {
    case 2:
      return "pair";
    case 3:
      return "trio";
    default:
      return "group";
  }
}

const char* UnmatchedCauseName(UnmatchedCause cause) {
  switch (cause) {
    case UnmatchedCause::kNoEligiblePartner:
      return "no_eligible_partner";
    case UnmatchedCause::kBelowMinScore:
      return "below_min_score";
    case UnmatchedCause::kPartnersTaken:
      return "partners_taken";
  }
  return "";
}

}  // namespace pm
