#ifndef SIGNET_SERVER_KEY_ISSUER_H_
#define SIGNET_SERVER_KEY_ISSUER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "db/store.h"
#include "jwt/algorithm.h"
#include "jwt/key_import.h"

namespace signet::server {

// A random key id: 128 bits, as 32 lowercase hex characters.
std::string NewKeyId();

// A random (version 4) UUID, as an account's unique id.
std::string NewUniqueId();

// The store row for a public key of `account_id`.
db::KeyRow KeyRowFor(const std::string& account_id, const jwt::PublicKey& key,
                     const std::string& origin,
                     const jwt::KeyValidity& validity);

struct GeneratedKey {
  db::KeyRow row;
  // The key file with the private key, to be handed out once and never
  // stored or logged.
  std::string key_file;
};

struct KeyFileFields {
  std::string project_id;
  std::string token_uri;
};

// A new key pair for `account`: the public part as a store row, the private
// part only inside the returned key file.
absl::StatusOr<GeneratedKey> GenerateKey(const db::AccountRow& account,
                                         jwt::Algorithm algorithm,
                                         const jwt::KeyValidity& validity,
                                         const KeyFileFields& fields);

}  // namespace signet::server

#endif  // SIGNET_SERVER_KEY_ISSUER_H_
