#ifndef SIGNET_JWT_KEY_FILE_H_
#define SIGNET_JWT_KEY_FILE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/clock.h"
#include "jwt/private_key.h"
#include "jwt/signer.h"

namespace signet::jwt {

// A service account's key file, in the JSON shape of a Google
// service-account key file, so that Google's client libraries and gRPC's
// own JWT credentials read it unchanged:
//   {"type": "service_account", "project_id", "private_key_id",
//    "private_key", "client_email", "client_id", "token_uri"}
struct KeyFile {
  std::string project_id;      // the deployment's name
  std::string private_key_id;  // the key id
  std::string private_key;     // PKCS#8 PEM
  std::string client_email;    // the account's email
  std::string client_id;       // the account's unique id
  std::string token_uri;       // signetd's address
};

// Parses a key file strictly: one JSON object, every field above present as
// a non-empty string, "type" exactly "service_account", and the private key
// readable (see PrivateKey::FromPem). Unknown fields are ignored, as
// Google's files carry more. INVALID_ARGUMENT names the field at fault.
absl::StatusOr<KeyFile> ParseKeyFile(absl::string_view json);

// Reads and parses the file at `path`; errors name the path.
absl::StatusOr<KeyFile> ReadKeyFile(const std::string& path);

// The file's JSON text, fields in the order above, with a final newline.
std::string SerializeKeyFile(const KeyFile& key_file);

// A signer for the key file's account and key.
absl::StatusOr<std::unique_ptr<Signer>> SignerFromKeyFile(
    const KeyFile& key_file, const Clock* clock = &Clock::Real());

}  // namespace signet::jwt

#endif  // SIGNET_JWT_KEY_FILE_H_
