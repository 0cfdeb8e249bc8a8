#ifndef SIGNET_VERIFIER_DECISION_COUNTERS_H_
#define SIGNET_VERIFIER_DECISION_COUNTERS_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace signet::verifier {

// How many calls the verifier let in and refused, by outcome: "allowed",
// "open" (an open method called without a token), or the reason of a
// refusal ("expired", "bad_signature", "permission_denied", ...).
// Thread-safe.
class DecisionCounters {
 public:
  void Count(absl::string_view outcome);

  // Every outcome counted so far, in name order.
  std::map<std::string, int64_t> Snapshot() const;

 private:
  mutable absl::Mutex mutex_;
  absl::flat_hash_map<std::string, int64_t> counts_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_DECISION_COUNTERS_H_
