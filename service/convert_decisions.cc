#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "engine/common/quote.h"
#include "service/convert.h"

namespace pm::service {

namespace pb = partnermatch::v1;

pb::Decision ToProto(const Decision& decision) {
  pb::Decision out;
  out.set_sequence(decision.sequence);
  out.set_profile_id(decision.profile_id);
  out.set_partner_id(decision.partner_id);
  out.set_kind(DecisionKindName(decision.kind));
  out.set_who(decision.who);
  out.set_why(decision.why);
  out.set_recorded_at(absl::FormatTime(
      "%Y-%m-%dT%H:%M:%SZ", absl::FromUnixMicros(decision.recorded_at_unix_micros),
      absl::UTCTimeZone()));
  return out;
}

absl::StatusOr<Decision> DecisionFromProto(const pb::Decision& decision) {
  std::optional<DecisionKind> kind = ParseDecisionKind(decision.kind());
  if (!kind) {
    return absl::InvalidArgumentError(
        absl::StrCat("field 'kind': ", QuoteInput(decision.kind()),
                     " is not a decision (accepted, declined or existing)"));
  }
  Decision out;
  out.profile_id = decision.profile_id();
  out.partner_id = decision.partner_id();
  out.kind = *kind;
  out.who = decision.who();
  out.why = decision.why();
  return out;
}

}  // namespace pm::service
