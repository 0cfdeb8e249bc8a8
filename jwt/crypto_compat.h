#ifndef SIGNET_JWT_CRYPTO_COMPAT_H_
#define SIGNET_JWT_CRYPTO_COMPAT_H_

// The few operations whose calls differ between OpenSSL 3 and BoringSSL:
// building keys from JWK parameters and reading those parameters back.
// OpenSSL 3 deprecates the RSA_ and EC_KEY_ functions that BoringSSL offers,
// and BoringSSL lacks OpenSSL 3's parameter API. Everything else in jwt/
// uses the EVP, PEM, BN and ECDSA_SIG calls that both share.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jwt/openssl_util.h"

namespace signet::jwt {

// An RSA public key from its big-endian modulus and exponent.
absl::StatusOr<UniqueEvpPkey> RsaPublicKeyFromParameters(
    absl::string_view modulus, absl::string_view exponent);

struct RsaParameters {
  std::string modulus;   // big-endian, no leading zero byte
  std::string exponent;  // big-endian, no leading zero byte
};

absl::StatusOr<RsaParameters> RsaPublicParameters(EVP_PKEY* key);

// A P-256 public key from its 32-byte big-endian affine coordinates.
// INVALID_ARGUMENT when the point is not on the curve.
absl::StatusOr<UniqueEvpPkey> P256PublicKeyFromCoordinates(absl::string_view x,
                                                           absl::string_view y);

// Whether `key` is an EC key on P-256 (and not on another curve).
bool IsP256Key(EVP_PKEY* key);

// The 32-byte big-endian affine coordinates x || y of a P-256 key.
absl::StatusOr<std::string> P256PublicCoordinates(EVP_PKEY* key);

// Everything written to a memory BIO.
std::string BioContents(BIO* bio);

}  // namespace signet::jwt

#endif  // SIGNET_JWT_CRYPTO_COMPAT_H_
