#ifndef SIGNET_JWT_ALGORITHM_H_
#define SIGNET_JWT_ALGORITHM_H_

#include <optional>

#include "absl/strings/string_view.h"

namespace signet::jwt {

// The JWS algorithms signet signs and verifies. A key has exactly one: RSA
// keys RS256, P-256 keys ES256, Ed25519 keys EdDSA. "none", HMAC and every
// other algorithm are never accepted.
enum class Algorithm {
  kRs256,
  kEs256,
  kEdDsa,
};

// "RS256", "ES256" or "EdDSA", as in a JOSE header.
absl::string_view AlgorithmName(Algorithm algorithm);

// The algorithm with exactly this header name (case-sensitive), if signet
// supports it.
std::optional<Algorithm> AlgorithmFromName(absl::string_view name);

}  // namespace signet::jwt

#endif  // SIGNET_JWT_ALGORITHM_H_
