// Small helpers for absl::Status propagation (Debian's Abseil 20220623 has
// no status_macros.h of its own).
#ifndef BACKCHAT_SERVICE_COMMON_STATUS_MACROS_H_
#define BACKCHAT_SERVICE_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define BACKCHAT_CONCAT_INNER_(a, b) a##b
#define BACKCHAT_CONCAT_(a, b) BACKCHAT_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define BACKCHAT_RETURN_IF_ERROR(expr)          \
  do {                                          \
    ::absl::Status backchat_status_ = (expr);   \
    if (!backchat_status_.ok()) {               \
      return backchat_status_;                  \
    }                                           \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); returns its status if not OK,
// otherwise moves the value into `lhs` (which may be a declaration).
#define BACKCHAT_ASSIGN_OR_RETURN(lhs, rexpr) \
  BACKCHAT_ASSIGN_OR_RETURN_IMPL_(BACKCHAT_CONCAT_(backchat_or_, __LINE__), lhs, rexpr)
#define BACKCHAT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                    \
  if (!tmp.ok()) return tmp.status();                    \
  lhs = std::move(tmp).value()

#endif  // BACKCHAT_SERVICE_COMMON_STATUS_MACROS_H_
