#ifndef SIGNET_JWT_REASON_H_
#define SIGNET_JWT_REASON_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace signet::jwt {

// Why a token was refused, for logs and metrics. Clients only ever see a
// generic UNAUTHENTICATED (or UNAVAILABLE); the reason stays on the server.
enum class Reason {
  kTokenMissing,       // no credential, or not "Bearer <token>"
  kTokenTooLarge,      // over the size cap
  kTokenMalformed,     // characters, segment count, empty segment
  kBadBase64,          // a segment that is not strict base64url
  kBadHeader,          // header JSON malformed or not an object
  kHeaderMember,       // a header member signet does not accept
  kBadType,            // typ present and not "JWT"
  kBadKeyId,           // kid missing, too long or with bad characters
  kBadAlgorithm,       // alg missing, not a string, or unsupported
  kUnknownKey,         // no key with this key id
  kKeyDisabled,        // the key is disabled
  kKeyNotYetValid,     // before the key's valid-after time
  kKeyExpired,         // after the key's valid-before time
  kAccountDisabled,    // the key's account is disabled
  kAlgorithmMismatch,  // alg is not the key's algorithm
  kBadSignature,       // the signature does not verify
  kBadClaims,          // claims JSON malformed or not an object
  kBadClaimType,       // a registered claim of the wrong type
  kWrongIssuer,      // iss or sub missing, different, or not the key's account
  kWrongAudience,    // no audience matches the verifier's
  kExpired,          // now >= exp + leeway
  kNotYetValid,      // nbf > now + leeway
  kIssuedInFuture,   // iat > now + leeway
  kLifetimeTooLong,  // exp - iat over the maximum lifetime
  kBadLifetime,      // exp not after iat
  kKeySourceUnavailable,  // the key could not be fetched
  kPermissionDenied,      // authenticated, but not allowed here
};

// A stable snake_case name, such as "bad_signature".
absl::string_view ReasonName(Reason reason);

// A status for a refused token: UNAUTHENTICATED, or UNAVAILABLE for
// kKeySourceUnavailable, or PERMISSION_DENIED for kPermissionDenied, with
// `detail` as its message (for logs) and the reason attached.
absl::Status Refusal(Reason reason, absl::string_view detail);

// The reason attached by Refusal(), if any.
std::optional<Reason> ReasonOf(const absl::Status& status);

}  // namespace signet::jwt

#endif  // SIGNET_JWT_REASON_H_
