#ifndef SIGNET_VERIFIER_REFUSAL_LOG_H_
#define SIGNET_VERIFIER_REFUSAL_LOG_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace signet::verifier {

// Logs refused credentials at a bounded pace: untrusted callers choose how
// many refusals there are, and must not choose how much is logged. At most
// `per_second` lines each second; the count of lines held back is logged
// with the next line that goes out. Lines name the reason and the detail
// the verifier gave (key ids and accounts, never tokens). Thread-safe.
class RefusalLog {
 public:
  explicit RefusalLog(int per_second = 10) : per_second_(per_second) {}

  void Log(const absl::Status& refusal);

 private:
  const int per_second_;
  absl::Mutex mutex_;
  absl::Time window_start_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
  int logged_in_window_ ABSL_GUARDED_BY(mutex_) = 0;
  int64_t suppressed_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_REFUSAL_LOG_H_
