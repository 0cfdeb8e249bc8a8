#ifndef SIGNET_JWT_SIGNER_H_
#define SIGNET_JWT_SIGNER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "jwt/claims.h"
#include "jwt/private_key.h"

namespace signet::jwt {

struct SignedToken {
  std::string token;
  absl::Time issued_at;
  absl::Time expires_at;
};

// Mints a service account's self-signed tokens:
//   header {"alg": <the key's>, "kid": <key id>, "typ": "JWT"}
//   claims {"iss": email, "sub": email, "aud", "iat", "exp"}
// Thread-safe.
class Signer {
 public:
  // INVALID_ARGUMENT for an empty email or a key id that verifiers would
  // refuse (see UnverifiedJws::Parse).
  static absl::StatusOr<std::unique_ptr<Signer>> Create(
      PrivateKey key, std::string key_id, std::string account_email,
      const Clock* clock = &Clock::Real());

  // A token for `audience` that expires `lifetime` from now. Refuses
  // (INVALID_ARGUMENT) a lifetime that is not positive or is over
  // kMaxLifetime, an empty audience, and a token over kMaxTokenSize.
  absl::StatusOr<SignedToken> Sign(
      absl::string_view audience, absl::Duration lifetime = kMaxLifetime) const;

  const std::string& key_id() const { return key_id_; }
  const std::string& account_email() const { return account_email_; }

 private:
  Signer(PrivateKey key, std::string key_id, std::string account_email,
         const Clock* clock);

  PrivateKey key_;
  std::string key_id_;
  std::string account_email_;
  const Clock* clock_;
  std::string encoded_header_;
};

}  // namespace signet::jwt

#endif  // SIGNET_JWT_SIGNER_H_
