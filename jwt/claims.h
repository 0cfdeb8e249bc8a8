#ifndef SIGNET_JWT_CLAIMS_H_
#define SIGNET_JWT_CLAIMS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace signet::jwt {

inline constexpr absl::Duration kDefaultLeeway = absl::Seconds(60);
inline constexpr absl::Duration kMaxLeeway = absl::Seconds(300);
inline constexpr absl::Duration kMaxLifetime = absl::Seconds(3600);

// The registered claims of a service-account token, parsed with the same
// strict JSON rules as the header and typed, but not yet checked.
struct Claims {
  std::string issuer;                    // iss
  std::string subject;                   // sub
  std::vector<std::string> audiences;    // aud: one string or an array
  absl::Time issued_at;                  // iat
  absl::Time expires_at;                 // exp
  std::optional<absl::Time> not_before;  // nbf
  std::optional<std::string> jwt_id;     // jti
  nlohmann::json all;                    // every claim, as sent
};

// Parses a payload. iss, sub, aud, iat and exp are required; iat, exp and
// nbf are integers from 0 to the end of year 9999 (no fractions, exponents
// or strings). UNAUTHENTICATED with kBadClaims or kBadClaimType otherwise.
absl::StatusOr<Claims> ParseClaims(absl::string_view payload);

struct ClaimsPolicy {
  // The audiences this verifier answers to; a token must name one exactly.
  std::vector<std::string> audiences;
  absl::Duration leeway = kDefaultLeeway;
  absl::Duration max_lifetime = kMaxLifetime;
};

// Checks parsed claims against the policy, the email of the account that
// owns the signing key, and the current time:
//   iss == sub == account_email;
//   one of aud is one of policy.audiences;
//   now < exp + leeway, nbf <= now + leeway, iat <= now + leeway,
//   exp - iat <= max_lifetime.
// Returns the audience that matched, or UNAUTHENTICATED with a reason.
absl::StatusOr<std::string> CheckClaims(const Claims& claims,
                                        absl::string_view account_email,
                                        const ClaimsPolicy& policy,
                                        absl::Time now);

}  // namespace signet::jwt

#endif  // SIGNET_JWT_CLAIMS_H_
