#include "service/report/report_index.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "service/report/report_html.h"

namespace pm::service {

namespace v1 = partnermatch::v1;

ReportIndex::ReportIndex(const ReportData& data) : data_(data) {
  for (const v1::GetProfileResponse& p : data.places) {
    places_[p.profile().id()] = &p;
  }
  for (const v1::Theme& t : data.taxonomy.themes()) labels_[t.id()] = t.label();
  for (int c = 0; c < data.clusters.clusters_size(); ++c) {
    for (const std::string& id : data.clusters.clusters(c).member_ids()) {
      cluster_of_[id] = c;
    }
  }
}

const v1::GetProfileResponse* ReportIndex::Find(const std::string& id) const {
  const auto it = places_.find(id);
  return it == places_.end() ? nullptr : it->second;
}

std::string ReportIndex::Name(const std::string& id) const {
  const v1::GetProfileResponse* p = Find(id);
  return p ? p->profile().name() : id;
}

std::string ReportIndex::NameCountry(const std::string& id) const {
  const v1::GetProfileResponse* p = Find(id);
  return p ? absl::StrCat(p->profile().name(), " (", p->profile().country(), ")")
           : id;
}

std::string ReportIndex::ThemeLabel(const std::string& theme) const {
  const auto it = labels_.find(theme);
  return it == labels_.end() || it->second.empty() ? theme : it->second;
}

int ReportIndex::ClusterOf(const std::string& id) const {
  const auto it = cluster_of_.find(id);
  return it == cluster_of_.end() ? -1 : it->second;
}

std::string ReportIndex::FilterAttributes(
    const std::vector<std::string>& ids) const {
  std::set<std::string> countries, kinds, themes;
  for (const std::string& id : ids) {
    const v1::GetProfileResponse* p = Find(id);
    if (p == nullptr) continue;
    countries.insert(p->profile().country());
    kinds.insert(p->profile().kind());
    for (const v1::ThemeInterest& t : p->themes()) themes.insert(t.theme());
  }
  return absl::StrCat(" data-countries=\"", Html(absl::StrJoin(countries, " ")),
                      "\" data-kinds=\"", Html(absl::StrJoin(kinds, " ")),
                      "\" data-themes=\"", Html(absl::StrJoin(themes, " ")),
                      "\"");
}

std::string ReportIndex::FilterAttributes(
    const google::protobuf::RepeatedPtrField<std::string>& ids) const {
  return FilterAttributes(std::vector<std::string>(ids.begin(), ids.end()));
}

std::string ReportIndex::ClusterColour(int cluster) {
  static constexpr const char* kColours[] = {
      "#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f",
      "#e5c494", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"};
  if (cluster < 0) return "#d9d9d9";
  return kColours[cluster % (sizeof(kColours) / sizeof(kColours[0]))];
}

}  // namespace pm::service
