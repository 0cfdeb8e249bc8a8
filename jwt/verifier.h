#ifndef SIGNET_JWT_VERIFIER_H_
#define SIGNET_JWT_VERIFIER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "jwt/claims.h"
#include "jwt/jws.h"
#include "jwt/key_source.h"
#include "nlohmann/json.hpp"

namespace signet::jwt {

// A token that passed every check of Verifier::Verify(). Only the verifier
// makes one, so holding one is proof of that.
class VerifiedToken {
 public:
  const std::string& account_email() const { return account_email_; }
  const std::string& key_id() const { return key_id_; }
  // The audience of this verifier that the token named.
  const std::string& audience() const { return audience_; }
  absl::Time issued_at() const { return issued_at_; }
  absl::Time expires_at() const { return expires_at_; }
  // When the key stops being valid (its validity window ends), or
  // InfiniteFuture for a key without an end: a cache of verified tokens
  // must not keep one past it.
  absl::Time key_valid_until() const { return key_valid_until_; }
  // Whether the key was served stale, the source being unreachable (see
  // KeyRecord::stale): then no cache may keep this verification.
  bool key_was_stale() const { return key_was_stale_; }
  // Every claim, as sent.
  const nlohmann::json& claims() const { return claims_; }

 private:
  friend class Verifier;
  VerifiedToken() = default;

  std::string account_email_;
  std::string key_id_;
  std::string audience_;
  absl::Time issued_at_;
  absl::Time expires_at_;
  absl::Time key_valid_until_ = absl::InfiniteFuture();
  bool key_was_stale_ = false;
  nlohmann::json claims_;
};

struct VerifierOptions {
  // Audiences a token may name; at least one. See README: gRPC C++ clients
  // send "https://<authority>/", google-auth's on-demand credentials
  // "https://<authority>/<package.Service>".
  std::vector<std::string> audiences;
  // Clock skew allowed on exp, nbf and iat; at most kMaxLeeway.
  absl::Duration leeway = kDefaultLeeway;
  // The longest exp - iat accepted; at most kMaxLifetime.
  absl::Duration max_lifetime = kMaxLifetime;
  // Whether base64url segments padded with '=' (exactly as RFC 4648 pads
  // them) are accepted: off by default, so that each token has one
  // spelling. Turn it on to accept gRPC C++'s own JWT credentials and
  // google-auth before 1.6.3, which pad (see README).
  Padding padding = Padding::kRefused;
  // Not owned; must outlive the verifier.
  const Clock* clock = &Clock::Real();
};

// Verifies service-account tokens against keys from a KeySource, in the
// order docs/tokens.md gives: the token's form, its header, its key (enabled,
// valid now, account enabled), alg against the key, the signature, and the
// claims. Thread-safe.
class Verifier {
 public:
  // INVALID_ARGUMENT for options out of range.
  static absl::StatusOr<std::unique_ptr<Verifier>> Create(
      VerifierOptions options, std::shared_ptr<KeySource> keys);

  // A VerifiedToken, or a status with a Reason attached (see reason.h):
  // UNAUTHENTICATED for every defect of the token, UNAVAILABLE when the key
  // source cannot answer. The status message is specific, for logs: never
  // send it to the client.
  absl::StatusOr<VerifiedToken> Verify(absl::string_view token) const;

 private:
  Verifier(VerifierOptions options, std::shared_ptr<KeySource> keys);

  absl::StatusOr<std::shared_ptr<const KeyRecord>> UsableKey(
      const std::string& key_id, absl::Time now) const;

  VerifierOptions options_;
  ClaimsPolicy policy_;
  std::shared_ptr<KeySource> keys_;
};

}  // namespace signet::jwt

#endif  // SIGNET_JWT_VERIFIER_H_
