// Look-ups the report's sections share: a place by id, a theme's label, a
// place's cluster and its colour, and the data-* attributes the page's
// filters read (data-countries, data-kinds, data-themes: space-separated).
#ifndef PARTNER_MATCH_SERVICE_REPORT_REPORT_INDEX_H_
#define PARTNER_MATCH_SERVICE_REPORT_REPORT_INDEX_H_

#include <map>
#include <string>
#include <vector>

#include "google/protobuf/repeated_ptr_field.h"
#include "service/report/report_data.h"

namespace pm::service {

class ReportIndex {
 public:
  explicit ReportIndex(const ReportData& data);

  const ReportData& data() const { return data_; }
  // The cohort's place with this id, or null (a suggested partner outside
  // the cohort).
  const partnermatch::v1::GetProfileResponse* Find(const std::string& id) const;
  // The place's name, else the id.
  std::string Name(const std::string& id) const;
  // "Almería (ES)".
  std::string NameCountry(const std::string& id) const;
  // The theme's label, else its id.
  std::string ThemeLabel(const std::string& theme) const;
  // 0-based cluster of the place, or -1 (unclustered).
  int ClusterOf(const std::string& id) const;
  // The filter attributes of an element about these places:
  //  data-countries="ES CO" data-kinds="city" data-themes="water energy"
  std::string FilterAttributes(const std::vector<std::string>& ids) const;
  std::string FilterAttributes(
      const google::protobuf::RepeatedPtrField<std::string>& ids) const;

  // A cluster's colour (ColorBrewer Set2, then Dark2); grey for -1.
  static std::string ClusterColour(int cluster);

 private:
  const ReportData& data_;
  std::map<std::string, const partnermatch::v1::GetProfileResponse*> places_;
  std::map<std::string, std::string> labels_;
  std::map<std::string, int> cluster_of_;
};

}  // namespace pm::service

#endif  // PARTNER_MATCH_SERVICE_REPORT_REPORT_INDEX_H_
