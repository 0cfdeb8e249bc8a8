#ifndef SIGNET_VERIFIER_TESTING_COUNTING_KEY_SOURCE_H_
#define SIGNET_VERIFIER_TESTING_COUNTING_KEY_SOURCE_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "jwt/key_source.h"

namespace signet::testing {

// A key source for tests and benchmarks that counts the lookups reaching
// it. It answers from `keys`, or from the source it wraps; a test can hold
// lookups at a gate, or make them fail as if the source were down.
class CountingKeySource : public jwt::KeySource {
 public:
  CountingKeySource() = default;
  explicit CountingKeySource(std::shared_ptr<jwt::KeySource> wrapped)
      : wrapped_(std::move(wrapped)) {}

  absl::StatusOr<std::shared_ptr<const jwt::KeyRecord>> FindKey(
      absl::string_view key_id) override {
    ++lookups;
    {
      absl::MutexLock lock(&mutex_);
      asked_.emplace_back(key_id);
    }
    // The answer is read before the gate, as a slow network delivers what
    // the store said when it was asked.
    auto answer =
        wrapped_ != nullptr ? wrapped_->FindKey(key_id) : keys.FindKey(key_id);
    if (absl::Notification* held = gate.load(); held != nullptr) {
      held->WaitForNotification();
    }
    if (down) return absl::UnavailableError("source down");
    return answer;
  }

  // The key ids asked for, in order.
  std::vector<std::string> asked() {
    absl::MutexLock lock(&mutex_);
    return asked_;
  }

  jwt::InMemoryKeySource keys;
  std::atomic<int> lookups{0};
  std::atomic<bool> down{false};
  // Not owned; must outlive every lookup that passes while it is set.
  std::atomic<absl::Notification*> gate{nullptr};

 private:
  std::shared_ptr<jwt::KeySource> wrapped_;
  absl::Mutex mutex_;
  std::vector<std::string> asked_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace signet::testing

#endif  // SIGNET_VERIFIER_TESTING_COUNTING_KEY_SOURCE_H_
