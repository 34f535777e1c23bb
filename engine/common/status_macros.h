// Early-return helpers for absl::Status / absl::StatusOr (Debian's Abseil
// 20220623 has none of its own).
#ifndef PARTNER_MATCH_ENGINE_COMMON_STATUS_MACROS_H_
#define PARTNER_MATCH_ENGINE_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns `expr`'s status from the enclosing function when it is not OK.
#define PM_RETURN_IF_ERROR(expr)                  \
  do {                                            \
    ::absl::Status pm_status_ = (expr);           \
    if (!pm_status_.ok()) return pm_status_;      \
  } while (false)

#define PM_STATUS_CONCAT_INNER_(a, b) a##b
#define PM_STATUS_CONCAT_(a, b) PM_STATUS_CONCAT_INNER_(a, b)

// `lhs` = the value of the StatusOr `expr`, or returns its status.
#define PM_ASSIGN_OR_RETURN(lhs, expr) \
  PM_ASSIGN_OR_RETURN_IMPL_(PM_STATUS_CONCAT_(pm_statusor_, __LINE__), lhs, expr)
#define PM_ASSIGN_OR_RETURN_IMPL_(var, lhs, expr) \
  auto var = (expr);                              \
  if (!var.ok()) return std::move(var).status();  \
  lhs = std::move(var).value()

#endif  // PARTNER_MATCH_ENGINE_COMMON_STATUS_MACROS_H_
