#ifndef SIGNET_CLIENT_CALL_CREDENTIALS_H_
#define SIGNET_CLIENT_CALL_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "jwt/key_file.h"
#include "jwt/signer.h"

namespace signet::client {

struct CallCredentialsOptions {
  // The audience of every token. Empty: derived per call from the service
  // URL gRPC passes, as "https://<authority>/", the form gRPC's own JWT
  // credentials send (see AudienceForServiceUrl).
  std::string audience;
  // The lifetime of each token; at most jwt::kMaxLifetime.
  absl::Duration token_lifetime = jwt::kMaxLifetime;
  // A cached token is replaced once less than this is left of its life, so
  // that no call leaves with a token about to expire.
  absl::Duration refresh_margin = absl::Minutes(5);
  // Tokens cached at once, one per audience; beyond it the token expiring
  // soonest is dropped.
  size_t max_cached_tokens = 64;
  // Not owned; must outlive the credentials.
  const Clock* clock = &Clock::Real();
};

// "https://<authority>/" for the service URL gRPC passes to call
// credentials: "https://svc.example:443/pkg.Service" over TLS, or the
// scheme-less "://127.0.0.1:7443/pkg.Service" and "://localhost/pkg.Service"
// over local credentials.
std::string AudienceForServiceUrl(absl::string_view service_url);

// Signs a short-lived token locally and attaches it to each call as
// `authorization: Bearer <token>`, reusing it until the refresh margin.
//
// Not blocking (IsBlocking() is false): GetMetadata runs on the calling
// gRPC thread, because a cached token is a hash lookup and a thread hop
// would cost more. Signing a new token (once per audience per lifetime) is
// one private-key operation on that thread: about 1 ms for RSA-2048, a
// tenth of that for ES256 and EdDSA. Thread-safe.
class TokenPlugin : public grpc::MetadataCredentialsPlugin {
 public:
  TokenPlugin(std::unique_ptr<jwt::Signer> signer,
              CallCredentialsOptions options);

  bool IsBlocking() const override { return false; }
  const char* GetType() const override { return "signet"; }

  // A signing failure returns UNAUTHENTICATED saying why. gRPC 1.51 hands
  // any plugin failure to the caller as UNAVAILABLE, with this message.
  grpc::Status GetMetadata(
      grpc::string_ref service_url, grpc::string_ref method_name,
      const grpc::AuthContext& channel_auth_context,
      std::multimap<std::string, std::string>* metadata) override;

  // The token for `audience`: the cached one while it has more than the
  // refresh margin left, otherwise a new one.
  absl::StatusOr<std::string> TokenFor(absl::string_view audience);

 private:
  std::unique_ptr<jwt::Signer> signer_;
  CallCredentialsOptions options_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, jwt::SignedToken> tokens_
      ABSL_GUARDED_BY(mutex_);
};

// Call credentials from a key file's path or contents. INVALID_ARGUMENT
// names what is wrong with the file or the options. Call credentials are
// sent only over TLS or local channel credentials: compose them with those
// (see CreateChannel in channel.h).
absl::StatusOr<std::shared_ptr<grpc::CallCredentials>>
CallCredentialsFromKeyFile(const std::string& path,
                           CallCredentialsOptions options = {});
absl::StatusOr<std::shared_ptr<grpc::CallCredentials>>
CallCredentialsFromKeyFile(const jwt::KeyFile& key_file,
                           CallCredentialsOptions options = {});

// Checks the options: lifetime within 1 s to jwt::kMaxLifetime, a margin
// shorter than the lifetime, room for at least one token.
absl::Status CheckCallCredentialsOptions(const CallCredentialsOptions& options);

}  // namespace signet::client

#endif  // SIGNET_CLIENT_CALL_CREDENTIALS_H_
