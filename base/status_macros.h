#ifndef SIGNET_BASE_STATUS_MACROS_H_
#define SIGNET_BASE_STATUS_MACROS_H_

// Abseil 20220623 ships absl::Status without the propagation macros that
// newer releases have. These two are the only ones signet uses.

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define SIGNET_STATUS_CONCAT_INNER_(a, b) a##b
#define SIGNET_STATUS_CONCAT_(a, b) SIGNET_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status) once and returns it from the enclosing
// function when it is not OK.
#define SIGNET_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::absl::Status signet_status_ = (expr);          \
    if (!signet_status_.ok()) return signet_status_; \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>) once; on error returns its status
// from the enclosing function, otherwise moves the value into `lhs`, which
// may be a declaration such as `auto x`.
#define SIGNET_ASSIGN_OR_RETURN(lhs, rexpr) \
  SIGNET_ASSIGN_OR_RETURN_IMPL_(            \
      SIGNET_STATUS_CONCAT_(signet_statusor_, __LINE__), lhs, rexpr)

#define SIGNET_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                  \
  if (!statusor.ok()) return statusor.status();             \
  lhs = std::move(statusor).value()

#endif  // SIGNET_BASE_STATUS_MACROS_H_
