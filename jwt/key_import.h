#ifndef SIGNET_JWT_KEY_IMPORT_H_
#define SIGNET_JWT_KEY_IMPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "jwt/public_key.h"

namespace signet::jwt {

// When a key may be used; an unset end is open.
struct KeyValidity {
  std::optional<absl::Time> not_before;
  std::optional<absl::Time> not_after;
};

enum class KeyFormat {
  kPemPublicKey,    // PEM SubjectPublicKeyInfo
  kPemCertificate,  // PEM X.509 certificate
  kJwk,             // one JWK object, or a JWKS holding exactly one key
};

struct ImportedPublicKey {
  PublicKey key;
  KeyFormat format;
  // From a certificate's notBefore and notAfter; empty for other formats.
  KeyValidity validity;
  // A JWK's "kid", if it has one.
  std::optional<std::string> key_id;
};

// Imports a public key that a user brings, in whichever of the formats of
// KeyFormat it is, and checks the key policy (see CheckKeyPolicy). Private
// keys, trailing bytes, several keys, and anything else are
// INVALID_ARGUMENT with a message that says what was found.
absl::StatusOr<ImportedPublicKey> ImportPublicKey(absl::string_view text);

// Every key of a JWKS ({"keys": [...]}), each checked like ImportPublicKey.
// One bad key fails the whole set, naming its index.
absl::StatusOr<std::vector<ImportedPublicKey>> ImportJwks(
    absl::string_view text);

// {"keys": [key.ToJwk(key_id), ...]}.
std::string ExportJwks(
    const std::vector<std::pair<std::string, PublicKey>>& keys);

}  // namespace signet::jwt

#endif  // SIGNET_JWT_KEY_IMPORT_H_
