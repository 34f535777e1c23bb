#include "service/api/partner_match_api.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "engine/common/quote.h"
#include "engine/common/status_macros.h"
#include "engine/graph/thematic_clusters.h"
#include "engine/io/profile_format.h"
#include "engine/model/decision.h"
#include "engine/planning/cohort.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "service/api/page_token.h"
#include "service/convert.h"

namespace pm::service {
namespace {

namespace pb = ::partnermatch::v1;

// absl::string_view, not std::string_view, wherever StrCat reads a view:
// Debian's Abseil has its own string_view.
absl::Status Required(absl::string_view field, absl::string_view value) {
  if (!value.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("field '", field, "' is required"));
}

// page_size with 0 meaning the default; INVALID_ARGUMENT out of range.
absl::StatusOr<int> PageSize(int requested) {
  if (requested == 0) return PartnerMatchApi::kDefaultPageSize;
  if (requested < 1 || requested > PartnerMatchApi::kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("field 'page_size' must be between 1 and ",
                     PartnerMatchApi::kMaxPageSize, " (0 means ",
                     PartnerMatchApi::kDefaultPageSize, "), got ",
                     requested));
  }
  return requested;
}

// λ from an optional request field; INVALID_ARGUMENT out of range.
absl::StatusOr<double> Diversity(bool has, double requested) {
  if (!has) return PartnerMatchApi::kDefaultDiversity;
  if (!(requested >= 0 && requested <= PartnerMatchApi::kMaxDiversity)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "field 'diversity' must be between 0 and ",
        PartnerMatchApi::kMaxDiversity, ", got ", requested));
  }
  return requested;
}

// CheckRequestStrings below `path` (the field path of `message`, "" at the
// top).
absl::Status CheckStrings(const google::protobuf::Message& message,
                          const std::string& path) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);  // the set ones only
  for (const FieldDescriptor* field : fields) {
    const std::string name =
        path.empty() ? field->name() : absl::StrCat(path, ".", field->name());
    const int count =
        field->is_repeated() ? reflection.FieldSize(message, field) : 1;
    const auto at = [&](int i) {
      return field->is_repeated() ? absl::StrCat(name, "[", i, "]") : name;
    };
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      for (int i = 0; i < count; ++i) {
        PM_RETURN_IF_ERROR(CheckStrings(
            field->is_repeated() ? reflection.GetRepeatedMessage(message, field, i)
                                 : reflection.GetMessage(message, field),
            at(i)));
      }
      continue;
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) continue;
    const std::optional<size_t> limit = RequestStringLimit(field->name());
    // Unreachable while network_hardening_test's
    // RequestStringLimits.EveryRequestStringFieldHasOne passes.
    if (!limit.has_value()) {
      return absl::InternalError(
          absl::StrCat("field '", name, "' has no documented length limit"));
    }
    for (int i = 0; i < count; ++i) {
      std::string scratch;
      const std::string& value =
          field->is_repeated()
              ? reflection.GetRepeatedStringReference(message, field, i,
                                                      &scratch)
              : reflection.GetStringReference(message, field, &scratch);
      if (value.size() > *limit) {
        return absl::InvalidArgumentError(
            absl::StrCat("field '", at(i), "': ", value.size(),
                         " bytes, more than the limit of ", *limit, " bytes"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::optional<size_t> RequestStringLimit(std::string_view field) {
  if (field == "id" || field == "profile_id" || field == "partner_id" ||
      field == "ids" || field == "known_partners") {
    return kMaxIdBytes;
  }
  if (field == "name") return kMaxProfileNameBytes;
  if (field == "text") return kMaxProfileTextBytes;
  if (field == "world_region") return kMaxWorldRegionBytes;
  if (field == "who") return kMaxDecisionWhoBytes;
  if (field == "why") return kMaxDecisionWhyBytes;
  if (field == "page_token") return kMaxPageTokenBytes;
  // recorded_at is assigned by the server; a request's is ignored.
  if (field == "kind" || field == "kind_rule" || field == "country" ||
      field == "recorded_at") {
    return PartnerMatchApi::kMaxKeywordBytes;
  }
  return std::nullopt;
}

absl::Status CheckRequestStrings(const google::protobuf::Message& request) {
  return CheckStrings(request, "");
}

PartnerMatchApi::PartnerMatchApi(ProfileCatalog& catalog,
                                 ReciprocalScorer scorer)
    : catalog_(catalog),
      scorer_(scorer),
      suggester_(scorer, DiversityOptions{kDefaultDiversity, {}}),
      planner_(std::move(scorer)) {
  // The exposure model saved with the index: the first SuggestPartners does
  // not compute one.
  suggester_.Seed(catalog.SavedExposure());
}

absl::Status PartnerMatchApi::UpsertProfiles(
    const pb::UpsertProfilesRequest& request,
    pb::UpsertProfilesResponse& response) {
  // The count first: it bounds the walk over the strings.
  const int n = request.profiles_size();
  if (n == 0) {
    return absl::InvalidArgumentError(
        "field 'profiles' is empty; send at least one profile");
  }
  PM_RETURN_IF_ERROR(CheckRequestStrings(request));
  std::vector<Profile> profiles;
  profiles.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const pb::Profile& in = request.profiles(i);
    absl::StatusOr<Profile> profile = ProfileFromProto(in);
    if (!profile.ok()) {
      // Same wording as the catalog's checks, which run next.
      return absl::Status(profile.status().code(),
                          absl::StrCat("profiles[", i, "] (", QuoteInput(in.id()),
                                       "): ", profile.status().message()));
    }
    profiles.push_back(*std::move(profile));
  }
  PM_ASSIGN_OR_RETURN(const UpsertCounts counts,
                      catalog_.Upsert(std::move(profiles)));
  response.set_created(counts.created);
  response.set_updated(counts.updated);
  return absl::OkStatus();
}

absl::Status PartnerMatchApi::GetProfile(const pb::GetProfileRequest& request,
                                         pb::GetProfileResponse& response) const {
  PM_RETURN_IF_ERROR(CheckRequestStrings(request));
  PM_RETURN_IF_ERROR(Required("id", request.id()));
  const std::shared_ptr<const MatchIndex> index = catalog_.Snapshot();
  PM_ASSIGN_OR_RETURN(const size_t row, index->Row(request.id()));
  response = ToProto(index->at(row), index->taxonomy());
  return absl::OkStatus();
}

absl::Status PartnerMatchApi::ListProfiles(
    const pb::ListProfilesRequest& request,
    pb::ListProfilesResponse& response) const {
  PM_RETURN_IF_ERROR(CheckRequestStrings(request));
  PM_ASSIGN_OR_RETURN(const int page_size, PageSize(request.page_size()));
  const std::shared_ptr<const MatchIndex> index = catalog_.Snapshot();
  const MatchIndex::ProfileRange all = index->profiles();
  auto first = all.begin();
  if (!request.page_token().empty()) {
    PM_ASSIGN_OR_RETURN(
        const std::string last_id,
        DecodePageToken(request.page_token(), kProfilesTokenPrefix,
                        "ListProfiles", IdLike));
    // Profiles are in id order: start after the last id served.
    first =
        std::upper_bound(all.begin(), all.end(), last_id,
                         [](const std::string& id, const IndexedProfile& p) {
                           return id < p.profile.id;
                         });
  }
  const auto last =
      first + std::min<std::ptrdiff_t>(page_size, all.end() - first);
  auto it = first;
  size_t bytes = 0;
  for (; it != last && (it == first || bytes < kMaxPageBytes); ++it) {
    pb::Profile* profile = response.add_profiles();
    *profile = ToProfileProto(*it);  // no themes: a listing needs none
    bytes += profile->ByteSizeLong();
  }
  if (it != all.end()) {
    response.set_next_page_token(
        EncodePageToken(kProfilesTokenPrefix, (it - 1)->profile.id));
  }
  return absl::OkStatus();
}

absl::Status PartnerMatchApi::ListDecisions(
    const pb::ListDecisionsRequest& request,
    pb::ListDecisionsResponse& response) const {
  PM_RETURN_IF_ERROR(CheckRequestStrings(request));
  PM_ASSIGN_OR_RETURN(const int page_size, PageSize(request.page_size()));
  int64_t after = 0;
  if (!request.page_token().empty()) {
    PM_ASSIGN_OR_RETURN(
        const std::string sequence,
        DecodePageToken(request.page_token(), kDecisionsTokenPrefix,
                        "ListDecisions", Digits));
    after = std::stoll(sequence);
  }
  const std::shared_ptr<const MatchIndex> index = catalog_.Snapshot();
  const std::string& filter = request.profile_id();
  // The log is in sequence order; decisions about deleted places stay.
  for (const Decision& d : index->decisions()) {
    if (d.sequence <= after) continue;
    if (!filter.empty() && d.profile_id != filter && d.partner_id != filter) {
      continue;
    }
    if (response.decisions_size() == page_size) {
      response.set_next_page_token(EncodePageToken(
          kDecisionsTokenPrefix,
          absl::StrCat(response.decisions(page_size - 1).sequence())));
      break;
    }
    *response.add_decisions() = ToProto(d);
  }
  return absl::OkStatus();
}

absl::Status PartnerMatchApi::SuggestPartners(
    const pb::SuggestPartnersRequest& request,
    pb::SuggestPartnersResponse& response,
    const CancellationToken& cancel) const {
  PM_RETURN_IF_ERROR(CheckRequestStrings(request));
  PM_RETURN_IF_ERROR(Required("profile_id", request.profile_id()));
  int k = request.k();
  if (k == 0) k = PartnerMatchApi::kDefaultK;
  if (k < 1 || k > PartnerMatchApi::kMaxK) {
    return absl::InvalidArgumentError(absl::StrCat(
        "field 'k' must be between 1 and ", PartnerMatchApi::kMaxK,
        " (0 means ", PartnerMatchApi::kDefaultK, "), got ",
        request.k()));
  }
  PM_ASSIGN_OR_RETURN(
      const double lambda,
      Diversity(request.has_diversity(), request.diversity()));
  const std::shared_ptr<const MatchIndex> index = catalog_.Snapshot();
  PM_ASSIGN_OR_RETURN(
      const std::vector<DiverseSuggestion> suggestions,
      suggester_.Suggest(index, request.profile_id(), k, lambda, cancel));
  PM_ASSIGN_OR_RETURN(const size_t self, index->Row(request.profile_id()));
  response.set_profile_id(request.profile_id());
  for (const DiverseSuggestion& suggestion : suggestions) {
    *response.add_suggestions() = ToProto(suggestion, *index, self);
  }
  return absl::OkStatus();
}

absl::Status PartnerMatchApi::ProposePairings(
    const pb::ProposePairingsRequest& request,
    pb::ProposePairingsResponse& response,
    const CancellationToken& cancel) const {
  PM_RETURN_IF_ERROR(CheckRequestStrings(request));
  PM_ASSIGN_OR_RETURN(PairingOptions options, FromProto(request.options()));
  options.cancel = cancel;
  options.progress = catalog_.progress();
  const std::shared_ptr<const MatchIndex> index = catalog_.Snapshot();
  PM_ASSIGN_OR_RETURN(const std::vector<size_t> rows,
                      SelectCohort(*index, FromProto(request.cohort()),
                                   catalog_.gazetteer()));
  PM_ASSIGN_OR_RETURN(const PairingPlan plan,
                      planner_.Plan(*index, rows, options));
  response = ToProto(plan, *index);
  return absl::OkStatus();
}

absl::Status PartnerMatchApi::FindClusters(
    const pb::FindClustersRequest& request,
    pb::FindClustersResponse& response,
    const CancellationToken& cancel) const {
  PM_RETURN_IF_ERROR(CheckRequestStrings(request));
  if (request.min_size() < 0 || request.max_size() < 0) {
    return absl::InvalidArgumentError(
        "fields 'min_size' and 'max_size' must not be negative");
  }
  const std::shared_ptr<const MatchIndex> index = catalog_.Snapshot();
  PM_ASSIGN_OR_RETURN(
      const std::vector<size_t> rows,
      SelectCohort(*index, FromProto(request.cohort()), catalog_.gazetteer()));
  ClusterOptions options;
  if (request.min_size() > 0) options.min_size = request.min_size();
  options.max_size = request.max_size();
  options.cancel = cancel;
  PM_ASSIGN_OR_RETURN(const ThematicClustering clustering,
                      FindThematicClusters(*index, rows, options));
  response = ToProto(clustering, *index);
  return absl::OkStatus();
}

absl::Status PartnerMatchApi::GetExposureReport(
    const pb::GetExposureReportRequest& request,
    pb::GetExposureReportResponse& response,
    const CancellationToken& cancel) const {
  PM_RETURN_IF_ERROR(CheckRequestStrings(request));
  PM_ASSIGN_OR_RETURN(
      const double lambda,
      Diversity(request.has_diversity(), request.diversity()));
  const std::shared_ptr<const MatchIndex> index = catalog_.Snapshot();
  PM_ASSIGN_OR_RETURN(const ExposureReport report,
                      suggester_.Report(index, lambda, cancel));
  response = ToProto(report, *index);
  return absl::OkStatus();
}

absl::Status PartnerMatchApi::ExplainMatch(
    const pb::ExplainMatchRequest& request,
    pb::ExplainMatchResponse& response) const {
  PM_RETURN_IF_ERROR(CheckRequestStrings(request));
  PM_RETURN_IF_ERROR(Required("profile_id", request.profile_id()));
  PM_RETURN_IF_ERROR(Required("partner_id", request.partner_id()));
  const std::shared_ptr<const MatchIndex> index = catalog_.Snapshot();
  PM_ASSIGN_OR_RETURN(
      const PairExplanation explanation,
      scorer_.Explain(*index, request.profile_id(), request.partner_id()));
  PM_ASSIGN_OR_RETURN(const size_t a, index->Row(request.profile_id()));
  PM_ASSIGN_OR_RETURN(const size_t b, index->Row(request.partner_id()));
  response = ToProto(explanation, *index, a, b);
  return absl::OkStatus();
}

absl::Status PartnerMatchApi::DeleteProfile(
    const pb::DeleteProfileRequest& request) {
  PM_RETURN_IF_ERROR(CheckRequestStrings(request));
  PM_RETURN_IF_ERROR(Required("id", request.id()));
  return catalog_.Delete(request.id());
}

absl::Status PartnerMatchApi::RecordDecision(
    const pb::RecordDecisionRequest& request,
    pb::RecordDecisionResponse& response, std::string_view who) {
  PM_RETURN_IF_ERROR(CheckRequestStrings(request));
  PM_ASSIGN_OR_RETURN(Decision decision, DecisionFromProto(request.decision()));
  if (!who.empty()) decision.who = std::string(who);
  PM_ASSIGN_OR_RETURN(decision, catalog_.RecordDecision(std::move(decision),
                                                       scorer_.options().rules));
  *response.mutable_decision() = ToProto(decision);
  return absl::OkStatus();
}

absl::Status PartnerMatchApi::GetTaxonomy(const pb::GetTaxonomyRequest& request,
                                          pb::GetTaxonomyResponse& response) const {
  PM_RETURN_IF_ERROR(CheckRequestStrings(request));
  *response.mutable_taxonomy() = ToProto(catalog_.Snapshot()->taxonomy());
  return absl::OkStatus();
}

}  // namespace pm::service
