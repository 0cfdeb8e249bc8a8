#ifndef SIGNET_JWT_TEST_UTIL_H_
#define SIGNET_JWT_TEST_UTIL_H_

// Helpers shared by the token core's tests: keys made once per process, and
// tokens assembled by hand so that tests can break any part of them.

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jwt/algorithm.h"
#include "jwt/private_key.h"
#include "nlohmann/json.hpp"

namespace signet::jwt::testing {

inline constexpr Algorithm kAllAlgorithms[] = {
    Algorithm::kRs256, Algorithm::kEs256, Algorithm::kEdDsa};

// A fixed point in time for tests: 2026-01-01T00:00:00Z.
inline const absl::Time kTestNow = absl::FromUnixSeconds(1767225600);

// A key of `algorithm` generated once per process (RSA-2048 for RS256).
const PrivateKey& TestKey(Algorithm algorithm);

// A second, different key of the same algorithm.
const PrivateKey& OtherTestKey(Algorithm algorithm);

// The contents of a file under jwt/testdata/.
std::string ReadTestData(absl::string_view name);

// base64url(header) "." base64url(payload) "." base64url(signature), where
// the signature is `key`'s over the first two segments as written.
std::string SignedToken(const PrivateKey& key, absl::string_view header,
                        absl::string_view payload);

// A header and claims that a verifier with audience "https://svc.test/" and
// account "robot@signet.test" accepts at kTestNow.
nlohmann::json GoodHeader(Algorithm algorithm,
                          absl::string_view key_id = "key-1");
nlohmann::json GoodClaims();

}  // namespace signet::jwt::testing

#endif  // SIGNET_JWT_TEST_UTIL_H_
