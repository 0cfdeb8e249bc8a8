// Fuzzes every parser of keys a user brings: public keys in PEM, X.509 and
// JWK, JWK sets, private keys in PEM, and key files.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "jwt/key_file.h"
#include "jwt/key_import.h"
#include "jwt/private_key.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<signet::jwt::ImportedPublicKey> imported =
      signet::jwt::ImportPublicKey(text);
  if (imported.ok()) {
    // A key that passed the policy exports and re-imports as itself.
    absl::StatusOr<signet::jwt::ImportedPublicKey> again =
        signet::jwt::ImportPublicKey(imported->key.ToPem());
    if (!again.ok() ||
        again->key.Fingerprint() != imported->key.Fingerprint()) {
      abort();
    }
  }
  (void)signet::jwt::ImportJwks(text);
  (void)signet::jwt::PrivateKey::FromPem(text);
  (void)signet::jwt::ParseKeyFile(text);
  return 0;
}
