#ifndef SIGNET_JWT_PRIVATE_KEY_H_
#define SIGNET_JWT_PRIVATE_KEY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jwt/algorithm.h"
#include "jwt/openssl_util.h"
#include "jwt/public_key.h"

namespace signet::jwt {

// A signing key that satisfies the key policy (see CheckKeyPolicy). Copies
// share one immutable key and are safe to use from many threads at once.
// Nothing in signet logs or stores one; ToPkcs8Pem() exists only to write
// the key file that is handed to the key's owner once.
class PrivateKey {
 public:
  // A new key pair: for RS256 of `rsa_bits` (2048, 3072 or 4096), otherwise
  // P-256 or Ed25519; `rsa_bits` is ignored for them.
  static absl::StatusOr<PrivateKey> Generate(Algorithm algorithm,
                                             int rsa_bits = 2048);

  // One unencrypted PEM block: PKCS#8 ("PRIVATE KEY"), or PKCS#1 for RSA
  // ("RSA PRIVATE KEY"). INVALID_ARGUMENT says what was found instead.
  static absl::StatusOr<PrivateKey> FromPem(absl::string_view pem);

  Algorithm algorithm() const { return public_key_.algorithm(); }
  const PublicKey& public_key() const { return public_key_; }

  // PKCS#8 PEM, the form key files carry.
  std::string ToPkcs8Pem() const;

  // The signature of `data` with the key's algorithm (ES256 as r || s).
  absl::StatusOr<std::string> Sign(absl::string_view data) const;

  EVP_PKEY* evp_pkey() const { return key_.get(); }

 private:
  PrivateKey(std::shared_ptr<EVP_PKEY> key, PublicKey public_key);

  static absl::StatusOr<PrivateKey> FromEvpPkey(UniqueEvpPkey key);

  std::shared_ptr<EVP_PKEY> key_;
  PublicKey public_key_;
};

}  // namespace signet::jwt

#endif  // SIGNET_JWT_PRIVATE_KEY_H_
