#ifndef SIGNET_VERIFIER_TOKEN_AUTH_PROCESSOR_H_
#define SIGNET_VERIFIER_TOKEN_AUTH_PROCESSOR_H_

#include <memory>
#include <optional>

#include "grpcpp/grpcpp.h"
#include "grpcpp/security/auth_metadata_processor.h"
#include "verifier/access_policy.h"
#include "verifier/call_verifier.h"
#include "verifier/decision_counters.h"
#include "verifier/decision_observer.h"
#include "verifier/refusal_log.h"

namespace signet::verifier {

struct TokenAuthOptions {
  // Who may call which method; by default any account with a valid token.
  AccessPolicy policy;
  // See TokenAuthProcessor.
  bool blocking = false;
  // Told of every decision, besides the processor's own counters.
  std::shared_ptr<DecisionObserver> observer;
  // Refusals logged each second at most; 0 logs none.
  int refusal_log_per_second = 10;
};

// Checks the `authorization: Bearer <token>` of every call on a server's
// credentials (TLS or local; gRPC aborts a server that installs a processor
// on insecure credentials). Handlers get the caller from
// CallVerifier::CallerOf, which finds this verification remembered; the
// entry stays in the call's metadata for that.
//
// Each call's method (its `:path`) picks a rule from the access policy. A
// call without a token passes only an open method; with more than one
// authorization entry, a scheme other than Bearer, or a token that does not
// verify it is refused with UNAUTHENTICATED "invalid credential" (when the
// key source cannot answer, UNAVAILABLE); a verified account that the rule
// does not list is refused with PERMISSION_DENIED. Clients see only the
// code and a generic message; the specific reason goes to the counters, the
// observer and the rate-limited refusal log.
//
// Not blocking by default: the check runs on the gRPC thread that read the
// call, which saves a thread hop per call (see README for the figures). A
// remembered token or a cached key costs no wait; a key that is not cached
// holds that thread at most KeyCacheOptions::max_fetch_wait, since the
// cache fetches on threads of its own.
class TokenAuthProcessor : public grpc::AuthMetadataProcessor {
 public:
  TokenAuthProcessor(std::shared_ptr<CallVerifier> verifier,
                     TokenAuthOptions options = {});

  bool IsBlocking() const override { return blocking_; }

  grpc::Status Process(const InputMetadata& auth_metadata,
                       grpc::AuthContext* context, OutputMetadata* consumed,
                       OutputMetadata* response) override;

  // Decisions so far, by outcome and refusal reason.
  const DecisionCounters& counters() const { return counters_; }

 private:
  grpc::Status Decide(absl::string_view method, absl::string_view account,
                      const absl::Status& refusal);

  std::shared_ptr<CallVerifier> verifier_;
  const AccessPolicy policy_;
  const bool blocking_;
  std::shared_ptr<DecisionObserver> observer_;
  std::optional<RefusalLog> refusals_;
  DecisionCounters counters_;
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_TOKEN_AUTH_PROCESSOR_H_
