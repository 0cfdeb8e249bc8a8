#ifndef SIGNET_JWT_SIGNATURE_H_
#define SIGNET_JWT_SIGNATURE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jwt/algorithm.h"
#include "jwt/openssl_util.h"

namespace signet::jwt {

// The JWS signature primitives (RFC 7518, RFC 8037), on keys that have
// already been parsed. They do not check the key policy: callers pass keys
// that passed it (PublicKey, PrivateKey), or test vectors.

// Whether `signature` is `algorithm`'s signature of `data` by `key`:
//   RS256: RSASSA-PKCS1-v1_5 with SHA-256; exactly the modulus length.
//   ES256: ECDSA P-256 with SHA-256, as the 64 bytes r || s, never DER;
//          r and s in [1, n-1].
//   EdDSA: Ed25519; exactly 64 bytes.
// A key of another type is a mismatch, not an error. Never leaves errors on
// OpenSSL's queue.
bool VerifySignature(Algorithm algorithm, EVP_PKEY* key, absl::string_view data,
                     absl::string_view signature);

// Signs `data` with `key`; ES256 signatures come out as r || s.
absl::StatusOr<std::string> Sign(Algorithm algorithm, EVP_PKEY* key,
                                 absl::string_view data);

namespace internal {

// A verification context with the digest and `key` already bound, which
// each verification copies instead of setting one up: that setup is about
// 2.5 us of a 20 us RS256 verification. Null for EdDSA, whose one-shot
// context cannot be copied. Copying from it does not change it, so one
// prepared context serves many threads at once.
UniqueEvpMdCtx PrepareVerifyContext(Algorithm algorithm, EVP_PKEY* key);

// VerifySignature() for a key already known to fit `algorithm`, which saves
// looking at the key's type on every call; `prepared` is the key's
// PrepareVerifyContext(), or null.
bool VerifySignatureWithFittingKey(Algorithm algorithm, EVP_PKEY* key,
                                   const EVP_MD_CTX* prepared,
                                   absl::string_view data,
                                   absl::string_view signature);

}  // namespace internal

}  // namespace signet::jwt

#endif  // SIGNET_JWT_SIGNATURE_H_
