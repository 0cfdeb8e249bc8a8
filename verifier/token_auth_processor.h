#ifndef SIGNET_VERIFIER_TOKEN_AUTH_PROCESSOR_H_
#define SIGNET_VERIFIER_TOKEN_AUTH_PROCESSOR_H_

#include <memory>

#include "grpcpp/grpcpp.h"
#include "grpcpp/security/auth_metadata_processor.h"
#include "verifier/call_verifier.h"
#include "verifier/refusal_log.h"

namespace signet::verifier {

// Checks the `authorization: Bearer <token>` of every call on a server's
// credentials (TLS or local; gRPC aborts a server that installs a processor
// on insecure credentials). Handlers get the caller from
// CallVerifier::CallerOf, which finds this verification remembered; the
// entry stays in the call's metadata for that.
//
// A call without any authorization entry passes with no identity: the
// service decides whether it may be anonymous (signetd's health check is).
// A call with more than one entry, a scheme other than Bearer, or a token
// that does not verify is refused with UNAUTHENTICATED "invalid
// credential"; when the key source cannot answer, with UNAVAILABLE. The
// specific reason goes to the refusal log only.
//
// Blocking: a key that is not cached is fetched from the key source, and a
// processor that is not blocking would do that on gRPC's own threads,
// stalling every call on them.
class TokenAuthProcessor : public grpc::AuthMetadataProcessor {
 public:
  explicit TokenAuthProcessor(std::shared_ptr<CallVerifier> verifier);

  bool IsBlocking() const override { return true; }

  grpc::Status Process(const InputMetadata& auth_metadata,
                       grpc::AuthContext* context, OutputMetadata* consumed,
                       OutputMetadata* response) override;

 private:
  std::shared_ptr<CallVerifier> verifier_;
  RefusalLog refusals_;
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_TOKEN_AUTH_PROCESSOR_H_
