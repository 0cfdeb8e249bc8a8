#ifndef SIGNET_SERVER_VERIFY_TOKEN_MEMORY_H_
#define SIGNET_SERVER_VERIFY_TOKEN_MEMORY_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "jwt/key_source.h"
#include "verifier/call_verifier.h"
#include "verifier/store_change.h"

namespace signet::server {

// TokenVerifier.VerifyToken's verifications, remembered as a protected
// service remembers its callers' tokens: by audience and the token's exact
// bytes, until the token expires or the key cache's TTL passes, and
// forgotten the moment its key or account changes. Services that verify
// remotely send the same token again with every call, so all but the first
// cost a lookup instead of a signature check. Thread-safe.
class VerifyTokenMemory {
 public:
  // Audiences remembered at once (each names a service that asks), and
  // tokens per audience: past either bound the oldest are forgotten.
  static constexpr size_t kMaxAudiences = 16;
  static constexpr size_t kMaxTokensPerAudience = 1000;

  VerifyTokenMemory(std::shared_ptr<jwt::KeySource> keys,
                    absl::Duration max_remember);

  // The identity `token` proves for `audience`, or the verifier's refusal.
  absl::StatusOr<verifier::CallerIdentity> Verify(absl::string_view audience,
                                                  absl::string_view token);

  // Forgets what a change concerns (see verifier::ForgetChanged), or all.
  void Apply(const verifier::StoreChange& change);
  void ForgetAll();

 private:
  absl::StatusOr<std::shared_ptr<verifier::CallVerifier>> For(
      absl::string_view audience);

  std::shared_ptr<jwt::KeySource> keys_;
  const absl::Duration max_remember_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, std::shared_ptr<verifier::CallVerifier>>
      by_audience_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace signet::server

#endif  // SIGNET_SERVER_VERIFY_TOKEN_MEMORY_H_
