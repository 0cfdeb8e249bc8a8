#ifndef SIGNET_VERIFIER_DECISION_OBSERVER_H_
#define SIGNET_VERIFIER_DECISION_OBSERVER_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace signet::verifier {

// One call let in or refused by the verifier.
struct Decision {
  // The call's method, "/pkg.Service/Method" as the caller sent it, made
  // safe to print (control bytes escaped, at most 256 bytes kept): the
  // check runs before gRPC looks the method up.
  absl::string_view method;
  // OK, UNAUTHENTICATED, PERMISSION_DENIED or UNAVAILABLE: what the caller
  // is told.
  absl::StatusCode code = absl::StatusCode::kOk;
  // "allowed", "open" (an open method called without a token), or the
  // reason of a refusal ("expired", "bad_signature", "permission_denied",
  // ...; see jwt/reason.h).
  absl::string_view outcome;
  // The verified account, when the token verified.
  absl::string_view account_email;
  // What exactly was wrong, for refusals; never the token itself. Made
  // safe to print like `method`: parts of it come from the caller.
  absl::string_view detail;
};

// Told of every decision, on the thread that made it: keep it quick.
// Implementations are thread-safe.
class DecisionObserver {
 public:
  virtual ~DecisionObserver() = default;
  virtual void OnDecision(const Decision& decision) = 0;
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_DECISION_OBSERVER_H_
