#ifndef SIGNET_JWT_JWS_H_
#define SIGNET_JWT_JWS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "jwt/algorithm.h"
#include "jwt/public_key.h"

namespace signet::jwt {

// signet's own tokens are under 1 KiB; gRPC's default limit for all
// metadata is 8 KiB. The cap is checked before anything else is done.
inline constexpr size_t kMaxTokenSize = 4096;

// Key ids signet assigns are 128 bits or more in hex or base64url; this
// bound leaves room for other issuers' ids and keeps lookups small.
inline constexpr size_t kMaxKeyIdSize = 128;

// Whether `key_id` is 1 to kMaxKeyIdSize characters of A-Z a-z 0-9 - _ . @ :
// (the check made on every "kid" before any lookup).
bool IsValidKeyId(absl::string_view key_id);

// How the base64url segments of a token may be written.
enum class Padding {
  // Without '=', as RFC 7515 writes them: each token has one spelling.
  kRefused,
  // Also with '=' at the end of a segment, exactly as many as RFC 4648
  // pads its length with (none for a length that is a multiple of 4), which
  // is how gRPC C++'s ServiceAccountJWTAccessCredentials and google-auth
  // before 1.6.3 write tokens. The signature covers the header and payload
  // as sent, padding included; only the signature segment's padding may be
  // left off, so such a token has two spellings.
  kCanonicalAccepted,
};

// A compact JWS taken apart and decoded, with nothing in it trusted yet.
// Only Parse() makes one.
class UnverifiedJws {
 public:
  // The checks on the token text, in this order: the size cap; only
  // A-Z a-z 0-9 - _ . (and '=' if `padding` allows it, only as RFC 4648
  // pads) and exactly two dots with no empty segment; strict base64url; a
  // strict JSON header with only "alg", "kid" and "typ"; "typ", if present,
  // exactly "JWT"; "kid" present, at most kMaxKeyIdSize of A-Z a-z 0-9 - _ . @
  // : only; "alg" exactly RS256, ES256 or EdDSA
  // ("none" and HMAC never pass, whatever key the kid names).
  // Refusals are UNAUTHENTICATED with a Reason attached (see reason.h).
  static absl::StatusOr<UnverifiedJws> Parse(
      absl::string_view token, Padding padding = Padding::kRefused);

  Algorithm algorithm() const { return algorithm_; }
  const std::string& key_id() const { return key_id_; }

  // The bytes the signature covers: the header and payload segments as
  // received, with the dot between them.
  absl::string_view signing_input() const { return signing_input_; }

  const std::string& payload() const { return payload_; }
  const std::string& signature() const { return signature_; }

  // Then, with the key the kid names: "alg" equals the key's algorithm exactly,
  // and the signature verifies with the key. UNAUTHENTICATED with
  // kAlgorithmMismatch or kBadSignature otherwise.
  absl::Status VerifySignature(const PublicKey& key) const;

 private:
  UnverifiedJws() = default;

  Algorithm algorithm_;
  std::string key_id_;
  std::string signing_input_;
  std::string payload_;
  std::string signature_;
};

}  // namespace signet::jwt

#endif  // SIGNET_JWT_JWS_H_
