#ifndef SIGNET_VERIFIER_CALL_VERIFIER_H_
#define SIGNET_VERIFIER_CALL_VERIFIER_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "grpcpp/grpcpp.h"
#include "jwt/verifier.h"
#include "verifier/identity.h"

namespace signet::verifier {

// Verifies the token of each call and remembers each verified token by its
// exact bytes until it expires, so that the token processor and the
// handler of the same call (and later calls with the same token) share one
// verification.
//
// Why handlers do not read the identity from the AuthContext alone: in
// gRPC 1.51 a server call's AuthContext is its connection's, shared by every
// call on that connection, so properties set for one call would be seen by
// the others. The token in the call's own metadata is the one per-call
// handle. Thread-safe.
class CallVerifier {
 public:
  // A token is remembered until it expires or for `max_remember`, whichever
  // is sooner, so that a change missed while no change notifications arrive
  // takes effect within that time. `max_tokens` bounds the remembered
  // tokens; past it, the one expiring soonest is forgotten. `clock` is not
  // owned.
  CallVerifier(std::shared_ptr<const jwt::Verifier> verifier,
               absl::Duration max_remember = absl::Minutes(5),
               size_t max_tokens = 10000, const Clock* clock = &Clock::Real());

  // The identity `token` proves, or the verifier's refusal (see
  // jwt::Verifier::Verify). Refusals are not remembered.
  absl::StatusOr<CallerIdentity> Verify(absl::string_view token);

  // The identity proven by the call's `authorization: Bearer` token, or
  // nullopt for a call without one, or whose token no longer verifies. A
  // call whose token did not verify was refused before its handler ran,
  // but the token may stop verifying in between (its key disabled, or the
  // key source gone) when the token was not remembered: a handler of a
  // method that is not open must treat nullopt as a refusal.
  std::optional<CallerIdentity> CallerOf(
      const grpc::ServerContextBase& context);

  // Forget every token of a key or an account, as their changes arrive.
  void ForgetKey(absl::string_view key_id);
  void ForgetAccount(absl::string_view account_email);
  void ForgetAll();

 private:
  std::shared_ptr<const jwt::Verifier> verifier_;
  const size_t max_tokens_;
  const Clock* clock_;
  const absl::Duration max_remember_;
  absl::Mutex mutex_;
  struct Remembered {
    CallerIdentity identity;
    absl::Time forget_at;
  };
  absl::flat_hash_map<std::string, Remembered> verified_
      ABSL_GUARDED_BY(mutex_);
  // Bumped by every Forget, so that a verification that started before one
  // is not remembered.
  uint64_t generation_ ABSL_GUARDED_BY(mutex_) = 0;
};

// The token of a call's `authorization: Bearer <token>` entry: empty when
// the call has no such entry; INVALID_ARGUMENT when it has several, or a
// scheme other than Bearer (RFC 6750: compared without regard to case).
absl::StatusOr<absl::string_view> BearerToken(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_CALL_VERIFIER_H_
