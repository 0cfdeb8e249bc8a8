#ifndef SIGNET_SERVER_BOOTSTRAP_H_
#define SIGNET_SERVER_BOOTSTRAP_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "db/store.h"
#include "jwt/algorithm.h"
#include "server/key_issuer.h"

namespace signet::server {

struct BootstrapRequest {
  std::string account_id;
  std::string account_domain;
  // An operator-supplied public key (PEM, certificate or JWK), preferred:
  // the private key never leaves the operator. Without one, signetd
  // generates a key pair of `algorithm` and writes the key file.
  std::optional<std::string> public_key_data;
  jwt::Algorithm algorithm = jwt::Algorithm::kEs256;
  // Where the generated key file goes, with mode 0600; it must not exist.
  std::string key_file_path;
  KeyFileFields key_file_fields;
};

// Creates the first account with the global admin role and its key, exactly
// once: FAILED_PRECONDITION when a bootstrap already happened (also one
// that commits concurrently). A generated key file is written before the
// store commits and removed if the commit fails, so no admin ever exists
// without its key, and no key file outlives a failed bootstrap.
absl::StatusOr<db::AccountRow> Bootstrap(db::Store& store,
                                         const BootstrapRequest& request);

}  // namespace signet::server

#endif  // SIGNET_SERVER_BOOTSTRAP_H_
