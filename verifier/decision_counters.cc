#include "verifier/decision_counters.h"

namespace signet::verifier {

void DecisionCounters::Count(absl::string_view outcome) {
  absl::MutexLock lock(&mutex_);
  ++counts_[outcome];
}

std::map<std::string, int64_t> DecisionCounters::Snapshot() const {
  absl::MutexLock lock(&mutex_);
  return std::map<std::string, int64_t>(counts_.begin(), counts_.end());
}

}  // namespace signet::verifier
