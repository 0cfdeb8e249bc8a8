#include "jwt/key_import.h"

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "jwt/jws.h"
#include "jwt/openssl_util.h"
#include "jwt/pem.h"
#include "jwt/strict_json.h"

namespace signet::jwt {
namespace {

// Seconds since the Unix epoch of an ASN.1 time, through ASN1_TIME_diff,
// which OpenSSL 3 and BoringSSL both have.
absl::StatusOr<absl::Time> TimeOf(const ASN1_TIME* time) {
  OpenSslPtr<ASN1_TIME, ASN1_TIME_free> epoch(ASN1_TIME_set(nullptr, 0));
  int days = 0;
  int seconds = 0;
  if (epoch == nullptr ||
      ASN1_TIME_diff(&days, &seconds, epoch.get(), time) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "the certificate has a malformed validity time");
  }
  return absl::FromUnixSeconds(int64_t{days} * 86400 + seconds);
}

absl::StatusOr<ImportedPublicKey> FromCertificate(const std::string& der) {
  const uint8_t* cursor = reinterpret_cast<const uint8_t*>(der.data());
  const uint8_t* end = cursor + der.size();
  UniqueX509 certificate(
      d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
  if (certificate == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "not an X.509 certificate");
  }
  if (cursor != end) {
    return absl::InvalidArgumentError("bytes after the certificate");
  }

  UniqueEvpPkey key(X509_get_pubkey(certificate.get()));
  if (key == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "the certificate's public key cannot be read");
  }
  SIGNET_ASSIGN_OR_RETURN(PublicKey public_key,
                          PublicKey::FromEvpPkey(std::move(key)));
  KeyValidity validity;
  SIGNET_ASSIGN_OR_RETURN(validity.not_before,
                          TimeOf(X509_get0_notBefore(certificate.get())));
  SIGNET_ASSIGN_OR_RETURN(validity.not_after,
                          TimeOf(X509_get0_notAfter(certificate.get())));
  return ImportedPublicKey{std::move(public_key), KeyFormat::kPemCertificate,
                           validity, std::nullopt};
}

absl::StatusOr<ImportedPublicKey> FromPem(absl::string_view text) {
  SIGNET_ASSIGN_OR_RETURN(PemBlock block, ReadSinglePemBlock(text));
  if (block.label == "PUBLIC KEY") {
    SIGNET_ASSIGN_OR_RETURN(PublicKey key, PublicKey::FromSpkiDer(block.der));
    return ImportedPublicKey{
        std::move(key), KeyFormat::kPemPublicKey, {}, std::nullopt};
  }
  if (block.label == "CERTIFICATE") return FromCertificate(block.der);
  if (absl::StrContains(block.label, "PRIVATE KEY")) {
    return absl::InvalidArgumentError(
        "this is a private key: upload only the public key");
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "a PEM \"", block.label,
      "\" block; signet accepts \"PUBLIC KEY\" and \"CERTIFICATE\""));
}

absl::StatusOr<ImportedPublicKey> FromJwkObject(const nlohmann::json& jwk) {
  SIGNET_ASSIGN_OR_RETURN(PublicKey key, PublicKey::FromJwk(jwk));
  std::optional<std::string> key_id;
  if (jwk.contains("kid")) {
    if (!jwk["kid"].is_string() ||
        !IsValidKeyId(jwk["kid"].get_ref<const std::string&>())) {
      return absl::InvalidArgumentError(
          "JWK \"kid\" is not 1 to 128 characters of A-Z a-z 0-9 - _ . @ :");
    }
    key_id = jwk["kid"].get<std::string>();
  }
  return ImportedPublicKey{std::move(key), KeyFormat::kJwk, {}, key_id};
}

absl::StatusOr<nlohmann::json> KeysOfJwks(const nlohmann::json& jwks) {
  auto keys = jwks.find("keys");
  if (keys == jwks.end() || !keys->is_array()) {
    return absl::InvalidArgumentError("JWKS has no \"keys\" array");
  }
  return *keys;
}

}  // namespace

absl::StatusOr<ImportedPublicKey> ImportPublicKey(absl::string_view text) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  if (absl::StartsWith(trimmed, "-----BEGIN ")) return FromPem(text);
  if (!absl::StartsWith(trimmed, "{")) {
    return absl::InvalidArgumentError(
        "not a PEM public key, a PEM certificate, or a JWK");
  }

  absl::StatusOr<nlohmann::json> json = ParseStrictJsonObject(trimmed);
  if (!json.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWK: ", json.status().message()));
  }
  if (!json->contains("keys")) return FromJwkObject(*json);

  SIGNET_ASSIGN_OR_RETURN(nlohmann::json keys, KeysOfJwks(*json));
  if (keys.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the JWKS holds ", keys.size(), " keys; upload one at a time"));
  }
  return FromJwkObject(keys[0]);
}

absl::StatusOr<std::vector<ImportedPublicKey>> ImportJwks(
    absl::string_view text) {
  absl::StatusOr<nlohmann::json> json =
      ParseStrictJsonObject(absl::StripAsciiWhitespace(text));
  if (!json.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWKS: ", json.status().message()));
  }
  SIGNET_ASSIGN_OR_RETURN(nlohmann::json keys, KeysOfJwks(*json));

  std::vector<ImportedPublicKey> imported;
  for (size_t i = 0; i < keys.size(); ++i) {
    absl::StatusOr<ImportedPublicKey> key = FromJwkObject(keys[i]);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWKS key ", i, ": ", key.status().message()));
    }
    imported.push_back(*std::move(key));
  }
  return imported;
}

std::string ExportJwks(
    const std::vector<std::pair<std::string, PublicKey>>& keys) {
  nlohmann::json jwks = {{"keys", nlohmann::json::array()}};
  for (const auto& [key_id, key] : keys) {
    jwks["keys"].push_back(key.ToJwk(key_id));
  }
  return jwks.dump();
}

}  // namespace signet::jwt
