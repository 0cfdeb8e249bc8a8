#ifndef SIGNET_BASE_RATE_LIMITER_H_
#define SIGNET_BASE_RATE_LIMITER_H_

#include <cstdint>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace signet {

// At most `per_second` events in each one-second window, for log lines
// whose number an outsider controls. Thread-safe.
class RateLimiter {
 public:
  explicit RateLimiter(int per_second) : per_second_(per_second) {}

  // Whether this event may go out. When it may, `*held_back` is set to the
  // number of events refused since the last one allowed.
  bool Allow(int64_t* held_back) {
    absl::MutexLock lock(&mutex_);
    absl::Time now = absl::Now();
    if (now - window_start_ >= absl::Seconds(1)) {
      window_start_ = now;
      allowed_in_window_ = 0;
    }
    if (allowed_in_window_ >= per_second_) {
      ++held_back_;
      return false;
    }
    ++allowed_in_window_;
    *held_back = held_back_;
    held_back_ = 0;
    return true;
  }

 private:
  const int per_second_;
  absl::Mutex mutex_;
  absl::Time window_start_ ABSL_GUARDED_BY(mutex_) = absl::InfinitePast();
  int allowed_in_window_ ABSL_GUARDED_BY(mutex_) = 0;
  int64_t held_back_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace signet

#endif  // SIGNET_BASE_RATE_LIMITER_H_
