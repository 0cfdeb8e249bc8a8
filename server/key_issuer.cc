#include "server/key_issuer.h"

#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "jwt/key_file.h"
#include "jwt/private_key.h"

namespace signet::server {

std::string NewKeyId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) abort();  // no entropy: no keys
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<char*>(bytes), sizeof(bytes)));
}

std::string NewUniqueId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) abort();
  bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
  std::string hex = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<char*>(bytes), sizeof(bytes)));
  return absl::StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-",
                      hex.substr(12, 4), "-", hex.substr(16, 4), "-",
                      hex.substr(20));
}

db::KeyRow KeyRowFor(const std::string& account_id, const jwt::PublicKey& key,
                     const std::string& origin,
                     const jwt::KeyValidity& validity) {
  db::KeyRow row;
  row.key_id = NewKeyId();
  row.account_id = account_id;
  row.algorithm = std::string(jwt::AlgorithmName(key.algorithm()));
  row.public_key_der = key.spki_der();
  row.fingerprint = key.Fingerprint();
  row.origin = origin;
  row.valid_after = validity.not_before;
  row.valid_before = validity.not_after;
  return row;
}

absl::StatusOr<GeneratedKey> GenerateKey(const db::AccountRow& account,
                                         jwt::Algorithm algorithm,
                                         const jwt::KeyValidity& validity,
                                         const KeyFileFields& fields) {
  SIGNET_ASSIGN_OR_RETURN(jwt::PrivateKey key,
                          jwt::PrivateKey::Generate(algorithm));
  GeneratedKey generated;
  generated.row =
      KeyRowFor(account.account_id, key.public_key(), "generated", validity);
  generated.key_file = jwt::SerializeKeyFile(
      jwt::KeyFile{fields.project_id, generated.row.key_id, key.ToPkcs8Pem(),
                   account.email, account.uid, fields.token_uri});
  return generated;
}

}  // namespace signet::server
