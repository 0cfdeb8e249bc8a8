#ifndef SIGNET_BASE_CLOCK_H_
#define SIGNET_BASE_CLOCK_H_

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace signet {

// The source of the current time. Everything that compares against "now"
// takes one, so that tests control time instead of depending on it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;

  // The system's clock; never destroyed.
  static const Clock& Real();
};

// A clock that moves only when told to. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time now) : now_(now) {}

  absl::Time Now() const override {
    absl::MutexLock lock(&mutex_);
    return now_;
  }

  void Set(absl::Time now) {
    absl::MutexLock lock(&mutex_);
    now_ = now;
  }

  void Advance(absl::Duration by) {
    absl::MutexLock lock(&mutex_);
    now_ += by;
  }

 private:
  mutable absl::Mutex mutex_;
  absl::Time now_;
};

inline const Clock& Clock::Real() {
  class RealClock : public Clock {
   public:
    absl::Time Now() const override { return absl::Now(); }
  };
  static const RealClock* real = new RealClock();
  return *real;
}

}  // namespace signet

#endif  // SIGNET_BASE_CLOCK_H_
