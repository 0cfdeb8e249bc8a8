#ifndef SIGNET_VERIFIER_TOKEN_AUTH_PROCESSOR_H_
#define SIGNET_VERIFIER_TOKEN_AUTH_PROCESSOR_H_

#include <memory>

#include "grpcpp/grpcpp.h"
#include "grpcpp/security/auth_metadata_processor.h"
#include "verifier/access_policy.h"
#include "verifier/call_verifier.h"
#include "verifier/decision_counters.h"
#include "verifier/refusal_log.h"

namespace signet::verifier {

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
// code and a generic message; the specific reason goes to the counters and
// the rate-limited refusal log.
//
// Blocking: a key that is not cached is fetched from the key source, and a
// processor that is not blocking would do that on gRPC's own threads,
// stalling every call on them.
class TokenAuthProcessor : public grpc::AuthMetadataProcessor {
 public:
  TokenAuthProcessor(std::shared_ptr<CallVerifier> verifier,
                     AccessPolicy policy = {});

  bool IsBlocking() const override { return true; }

  grpc::Status Process(const InputMetadata& auth_metadata,
                       grpc::AuthContext* context, OutputMetadata* consumed,
                       OutputMetadata* response) override;

  // Decisions so far, by outcome and refusal reason.
  const DecisionCounters& counters() const { return counters_; }

 private:
  grpc::Status Refuse(const absl::Status& refusal);

  std::shared_ptr<CallVerifier> verifier_;
  const AccessPolicy policy_;
  RefusalLog refusals_;
  DecisionCounters counters_;
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_TOKEN_AUTH_PROCESSOR_H_
