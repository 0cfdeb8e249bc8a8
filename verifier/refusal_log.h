#ifndef SIGNET_VERIFIER_REFUSAL_LOG_H_
#define SIGNET_VERIFIER_REFUSAL_LOG_H_

#include <cstdint>

#include "absl/status/status.h"
#include "base/rate_limiter.h"

namespace signet::verifier {

// Logs refused credentials at a bounded pace: untrusted callers choose how
// many refusals there are, and must not choose how much is logged. At most
// `per_second` lines each second; the count of lines held back is logged
// with the next line that goes out. Lines name the reason and the detail
// the verifier gave (key ids and accounts, never tokens). Thread-safe.
class RefusalLog {
 public:
  explicit RefusalLog(int per_second = 10) : limiter_(per_second) {}

  void Log(const absl::Status& refusal);

 private:
  RateLimiter limiter_;
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_REFUSAL_LOG_H_
