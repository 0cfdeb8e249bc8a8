#ifndef SIGNET_JWT_PUBLIC_KEY_H_
#define SIGNET_JWT_PUBLIC_KEY_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jwt/algorithm.h"
#include "jwt/openssl_util.h"
#include "nlohmann/json.hpp"

namespace signet::jwt {

// signet's key policy, enforced on every key it imports or generates:
//   RSA: 2048 to 4096 bits, public exponent 65537  -> RS256
//   EC:  P-256 only (the point on the curve)        -> ES256
//   Ed25519 (32-byte public key)                   -> EdDSA
// Returns the key's algorithm, or INVALID_ARGUMENT saying what is wrong, as
// in "RSA key is 1024 bits; signet accepts 2048 to 4096".
absl::StatusOr<Algorithm> CheckKeyPolicy(EVP_PKEY* key);

// A public key that satisfies the key policy, parsed once and shared: copies
// are cheap, immutable, and safe to use from many threads at once.
class PublicKey {
 public:
  // Takes a parsed key (public or private; only the public part is kept)
  // and checks the key policy.
  static absl::StatusOr<PublicKey> FromEvpPkey(UniqueEvpPkey key);

  // DER SubjectPublicKeyInfo, with no trailing bytes.
  static absl::StatusOr<PublicKey> FromSpkiDer(absl::string_view der);

  // One PEM "PUBLIC KEY" block (SubjectPublicKeyInfo), with nothing but
  // whitespace around it.
  static absl::StatusOr<PublicKey> FromPem(absl::string_view pem);

  // A JWK object (RFC 7517): kty RSA, EC (crv P-256) or OKP (crv Ed25519),
  // with strict base64url members. Refuses private members (d, p, q, ...),
  // symmetric keys, `use` other than "sig", `key_ops` without "verify", and
  // `alg` other than the key's algorithm.
  static absl::StatusOr<PublicKey> FromJwk(const nlohmann::json& jwk);

  Algorithm algorithm() const { return algorithm_; }

  // DER SubjectPublicKeyInfo.
  const std::string& spki_der() const { return *spki_der_; }

  // SHA-256 of the DER SubjectPublicKeyInfo: the same key, however it was
  // written, has the same fingerprint.
  std::string Fingerprint() const;

  std::string ToPem() const;

  // {"kty", key parameters, "kid": key_id, "alg", "use": "sig"}.
  nlohmann::json ToJwk(absl::string_view key_id) const;

  // Whether `signature` is a valid signature of `data` by this key with the
  // key's algorithm; see VerifySignature() in signature.h.
  bool Verify(absl::string_view data, absl::string_view signature) const;

  EVP_PKEY* evp_pkey() const { return key_.get(); }

 private:
  PublicKey(std::shared_ptr<EVP_PKEY> key, Algorithm algorithm,
            std::shared_ptr<const std::string> spki_der);

  std::shared_ptr<EVP_PKEY> key_;
  Algorithm algorithm_;
  std::shared_ptr<const std::string> spki_der_;
  // See internal::PrepareVerifyContext; null for EdDSA.
  std::shared_ptr<const EVP_MD_CTX> prepared_verify_;
};

}  // namespace signet::jwt

#endif  // SIGNET_JWT_PUBLIC_KEY_H_
