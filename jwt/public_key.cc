#include "jwt/public_key.h"

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <cstring>
#include <set>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "jwt/base64url.h"
#include "jwt/crypto_compat.h"
#include "jwt/pem.h"
#include "jwt/signature.h"

namespace signet::jwt {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 4096;
constexpr size_t kEd25519KeySize = 32;
constexpr char kRsaExponent65537[] = "\x01\x00\x01";

// Whether `value` mod `prime` lies in the multiplicative subgroup that
// 65537 generates mod `prime`.
bool InSubgroupOf65537(uint32_t residue, uint32_t prime) {
  uint32_t generator = 65537 % prime;
  uint32_t power = 1;
  do {
    if (power == residue) return true;
    power = static_cast<uint32_t>(uint64_t{power} * generator % prime);
  } while (power != 1);
  return false;
}

// The fingerprint of CVE-2017-15361 (ROCA): a modulus made from Infineon
// RSALib's primes is, modulo every small prime, a power of 65537. A random
// modulus passes this test for all these primes with negligible odds.
bool HasRocaFingerprint(const std::string& modulus) {
  static constexpr uint32_t kPrimes[] = {
      3,   5,   7,   11,  13,  17,  19,  23,  29,  31,  37,  41,  43,
      47,  53,  59,  61,  67,  71,  73,  79,  83,  89,  97,  101, 103,
      107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167};
  for (uint32_t prime : kPrimes) {
    uint32_t residue = 0;
    for (unsigned char byte : modulus) residue = (residue * 256 + byte) % prime;
    if (!InSubgroupOf65537(residue, prime)) return false;
  }
  return true;
}

absl::Status CheckRsaPolicy(EVP_PKEY* key) {
  int bits = EVP_PKEY_bits(key);
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return absl::InvalidArgumentError(
        absl::StrCat("RSA key is ", bits, " bits; signet accepts ", kMinRsaBits,
                     " to ", kMaxRsaBits));
  }
  SIGNET_ASSIGN_OR_RETURN(RsaParameters parameters, RsaPublicParameters(key));
  if (parameters.exponent != absl::string_view(kRsaExponent65537, 3)) {
    return absl::InvalidArgumentError(
        "RSA key's public exponent is not 65537, the only one signet accepts");
  }
  if (HasRocaFingerprint(parameters.modulus)) {
    return absl::InvalidArgumentError(
        "RSA key has the ROCA weakness (CVE-2017-15361): generate a new key");
  }
  return absl::OkStatus();
}

// Ed25519 public keys of small order (and the non-canonical spellings of
// the same points), with the sign bit of the last byte cleared. Under such
// a key a fixed signature verifies for every message, so anyone could mint
// tokens for the account.
constexpr uint8_t kSmallOrderEd25519[][kEd25519KeySize] = {
    // 0 (order 4)
    {0},
    // 1 (order 1)
    {0x01},
    // order 8
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    // order 8
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
    // p - 1 (order 2)
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
};

// Whether the little-endian y of an Ed25519 public key (sign bit cleared)
// is at least p = 2^255 - 19: a non-canonical spelling of a smaller y,
// which would give one key several fingerprints.
bool IsNonCanonicalY(const uint8_t* y) {
  if (y[0] < 0xed || (y[31] & 0x7f) != 0x7f) return false;
  for (int i = 1; i < 31; ++i) {
    if (y[i] != 0xff) return false;
  }
  return true;
}

absl::Status CheckEd25519Policy(EVP_PKEY* key) {
  uint8_t raw[kEd25519KeySize];
  size_t length = sizeof(raw);
  if (EVP_PKEY_get_raw_public_key(key, raw, &length) != 1 ||
      length != kEd25519KeySize) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "cannot read the Ed25519 public key");
  }
  raw[31] &= 0x7f;
  if (IsNonCanonicalY(raw)) {
    return absl::InvalidArgumentError(
        "Ed25519 public key is not canonically encoded");
  }
  for (const auto& weak : kSmallOrderEd25519) {
    if (memcmp(raw, weak, kEd25519KeySize) == 0) {
      return absl::InvalidArgumentError(
          "Ed25519 public key has small order: anyone could forge its "
          "signatures");
    }
  }
  return absl::OkStatus();
}

// The same P-256 key rebuilt from its coordinates, so that compressed,
// hybrid and explicit-parameter spellings all become one named-curve,
// uncompressed encoding, and so one fingerprint. A point that has no
// coordinates (the point at infinity) is refused here.
absl::StatusOr<UniqueEvpPkey> CanonicalP256Key(EVP_PKEY* key) {
  absl::StatusOr<std::string> point = P256PublicCoordinates(key);
  if (!point.ok()) {
    return absl::InvalidArgumentError(
        "EC public key has no valid point on P-256");
  }
  return P256PublicKeyFromCoordinates(point->substr(0, 32), point->substr(32));
}

absl::StatusOr<std::string> SpkiDerOf(EVP_PKEY* key) {
  uint8_t* der = nullptr;
  int length = i2d_PUBKEY(key, &der);
  if (length <= 0) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "cannot encode the public key");
  }
  std::string out(reinterpret_cast<char*>(der), length);
  OPENSSL_free(der);
  return out;
}

// Reads a JWK member that must be a strict base64url string.
absl::StatusOr<std::string> Base64Member(const nlohmann::json& jwk,
                                         const char* name) {
  auto member = jwk.find(name);
  if (member == jwk.end() || !member->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWK member \"", name, "\" is missing or not a string"));
  }
  std::optional<std::string> bytes =
      Base64UrlDecode(member->get_ref<const std::string&>());
  if (!bytes.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWK member \"", name, "\" is not strict base64url"));
  }
  return *bytes;
}

absl::StatusOr<std::string> StringMember(const nlohmann::json& jwk,
                                         const char* name) {
  auto member = jwk.find(name);
  if (member == jwk.end() || !member->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWK member \"", name, "\" is missing or not a string"));
  }
  return member->get<std::string>();
}

absl::Status CheckJwkIsPublicAndForSigning(const nlohmann::json& jwk) {
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
    if (jwk.contains(secret)) {
      return absl::InvalidArgumentError(
          absl::StrCat("the JWK has the private member \"", secret,
                       "\": upload only the public key"));
    }
  }
  if (jwk.contains("use") && jwk["use"] != "sig") {
    return absl::InvalidArgumentError("JWK \"use\" is not \"sig\"");
  }
  if (jwk.contains("key_ops")) {
    const nlohmann::json& ops = jwk["key_ops"];
    if (!ops.is_array() ||
        std::find(ops.begin(), ops.end(), "verify") == ops.end()) {
      return absl::InvalidArgumentError(
          "JWK \"key_ops\" does not include \"verify\"");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<UniqueEvpPkey> KeyFromRsaJwk(const nlohmann::json& jwk) {
  SIGNET_ASSIGN_OR_RETURN(std::string n, Base64Member(jwk, "n"));
  SIGNET_ASSIGN_OR_RETURN(std::string e, Base64Member(jwk, "e"));
  // RFC 7518 6.3.1: the minimal big-endian form, so no leading zero byte.
  if (n.empty() || n[0] == '\0' || e.empty() || e[0] == '\0') {
    return absl::InvalidArgumentError(
        "JWK \"n\" or \"e\" is empty or has a leading zero byte");
  }
  return RsaPublicKeyFromParameters(n, e);
}

absl::StatusOr<UniqueEvpPkey> KeyFromEcJwk(const nlohmann::json& jwk) {
  SIGNET_ASSIGN_OR_RETURN(std::string curve, StringMember(jwk, "crv"));
  if (curve != "P-256") {
    return absl::InvalidArgumentError(absl::StrCat(
        "EC key is on curve ", curve, "; signet accepts P-256 only"));
  }
  SIGNET_ASSIGN_OR_RETURN(std::string x, Base64Member(jwk, "x"));
  SIGNET_ASSIGN_OR_RETURN(std::string y, Base64Member(jwk, "y"));
  return P256PublicKeyFromCoordinates(x, y);
}

absl::StatusOr<UniqueEvpPkey> KeyFromOkpJwk(const nlohmann::json& jwk) {
  SIGNET_ASSIGN_OR_RETURN(std::string curve, StringMember(jwk, "crv"));
  if (curve != "Ed25519") {
    return absl::InvalidArgumentError(absl::StrCat(
        "OKP key is on curve ", curve, "; signet accepts Ed25519 only"));
  }
  SIGNET_ASSIGN_OR_RETURN(std::string x, Base64Member(jwk, "x"));
  if (x.size() != kEd25519KeySize) {
    return absl::InvalidArgumentError(
        absl::StrCat("Ed25519 public key is ", x.size(), " bytes, not 32"));
  }
  UniqueEvpPkey key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const uint8_t*>(x.data()),
      x.size()));
  if (key == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "invalid Ed25519 public key");
  }
  return key;
}

}  // namespace

absl::StatusOr<Algorithm> CheckKeyPolicy(EVP_PKEY* key) {
  switch (EVP_PKEY_id(key)) {
    case EVP_PKEY_RSA:
      SIGNET_RETURN_IF_ERROR(CheckRsaPolicy(key));
      return Algorithm::kRs256;
    case EVP_PKEY_EC:
      if (!IsP256Key(key)) {
        return absl::InvalidArgumentError(
            "EC key is not on P-256, the only curve signet accepts");
      }
      return Algorithm::kEs256;
    case EVP_PKEY_ED25519:
      SIGNET_RETURN_IF_ERROR(CheckEd25519Policy(key));
      return Algorithm::kEdDsa;
    default:
      return absl::InvalidArgumentError(
          "unsupported key type; signet accepts RSA, EC P-256 and Ed25519");
  }
}

PublicKey::PublicKey(std::shared_ptr<EVP_PKEY> key, Algorithm algorithm,
                     std::shared_ptr<const std::string> spki_der)
    : key_(std::move(key)),
      algorithm_(algorithm),
      spki_der_(std::move(spki_der)),
      prepared_verify_(
          internal::PrepareVerifyContext(algorithm_, key_.get()).release(),
          EVP_MD_CTX_free) {}

absl::StatusOr<PublicKey> PublicKey::FromEvpPkey(UniqueEvpPkey key) {
  if (key == nullptr) return absl::InvalidArgumentError("no key");
  SIGNET_ASSIGN_OR_RETURN(Algorithm algorithm, CheckKeyPolicy(key.get()));
  if (algorithm == Algorithm::kEs256) {
    SIGNET_ASSIGN_OR_RETURN(key, CanonicalP256Key(key.get()));
  }

  // Re-read the key from its public DER, so that a private key passed in
  // leaves no private part behind.
  SIGNET_ASSIGN_OR_RETURN(std::string der, SpkiDerOf(key.get()));
  const uint8_t* cursor = reinterpret_cast<const uint8_t*>(der.data());
  UniqueEvpPkey public_only(
      d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
  if (public_only == nullptr) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "cannot re-read the public key");
  }
  return PublicKey(
      std::shared_ptr<EVP_PKEY>(public_only.release(), EVP_PKEY_free),
      algorithm, std::make_shared<const std::string>(std::move(der)));
}

absl::StatusOr<PublicKey> PublicKey::FromSpkiDer(absl::string_view der) {
  const uint8_t* cursor = reinterpret_cast<const uint8_t*>(der.data());
  const uint8_t* end = cursor + der.size();
  UniqueEvpPkey key(
      d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
  if (key == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "not a DER SubjectPublicKeyInfo");
  }
  if (cursor != end) {
    return absl::InvalidArgumentError("bytes after the public key");
  }
  return FromEvpPkey(std::move(key));
}

absl::StatusOr<PublicKey> PublicKey::FromPem(absl::string_view pem) {
  SIGNET_ASSIGN_OR_RETURN(PemBlock block, ReadSinglePemBlock(pem));
  if (block.label != "PUBLIC KEY") {
    return absl::InvalidArgumentError(absl::StrCat(
        "a PEM \"", block.label, "\" block, not a \"PUBLIC KEY\""));
  }
  return FromSpkiDer(block.der);
}

absl::StatusOr<PublicKey> PublicKey::FromJwk(const nlohmann::json& jwk) {
  if (!jwk.is_object())
    return absl::InvalidArgumentError("JWK is not an object");
  SIGNET_RETURN_IF_ERROR(CheckJwkIsPublicAndForSigning(jwk));
  SIGNET_ASSIGN_OR_RETURN(std::string type, StringMember(jwk, "kty"));

  absl::StatusOr<UniqueEvpPkey> key;
  if (type == "RSA") {
    key = KeyFromRsaJwk(jwk);
  } else if (type == "EC") {
    key = KeyFromEcJwk(jwk);
  } else if (type == "OKP") {
    key = KeyFromOkpJwk(jwk);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "JWK key type \"", type, "\"; signet accepts RSA, EC and OKP"));
  }
  if (!key.ok()) return key.status();
  SIGNET_ASSIGN_OR_RETURN(PublicKey public_key, FromEvpPkey(std::move(*key)));

  if (jwk.contains("alg") &&
      jwk["alg"] != std::string(AlgorithmName(public_key.algorithm()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWK \"alg\" does not fit this key, which signs with ",
                     AlgorithmName(public_key.algorithm())));
  }
  return public_key;
}

std::string PublicKey::Fingerprint() const {
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const uint8_t*>(spki_der_->data()), spki_der_->size(),
         digest);
  return std::string(reinterpret_cast<char*>(digest), sizeof(digest));
}

std::string PublicKey::ToPem() const {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  return BioContents(bio.get());
}

nlohmann::json PublicKey::ToJwk(absl::string_view key_id) const {
  nlohmann::json jwk;
  switch (algorithm_) {
    case Algorithm::kRs256: {
      RsaParameters parameters = *RsaPublicParameters(key_.get());
      jwk["kty"] = "RSA";
      jwk["n"] = Base64UrlEncode(parameters.modulus);
      jwk["e"] = Base64UrlEncode(parameters.exponent);
      break;
    }
    case Algorithm::kEs256: {
      std::string point = *P256PublicCoordinates(key_.get());
      jwk["kty"] = "EC";
      jwk["crv"] = "P-256";
      jwk["x"] = Base64UrlEncode(point.substr(0, 32));
      jwk["y"] = Base64UrlEncode(point.substr(32));
      break;
    }
    case Algorithm::kEdDsa: {
      uint8_t raw[kEd25519KeySize];
      size_t length = sizeof(raw);
      EVP_PKEY_get_raw_public_key(key_.get(), raw, &length);
      jwk["kty"] = "OKP";
      jwk["crv"] = "Ed25519";
      jwk["x"] = Base64UrlEncode(
          absl::string_view(reinterpret_cast<char*>(raw), length));
      break;
    }
  }
  jwk["kid"] = std::string(key_id);
  jwk["alg"] = std::string(AlgorithmName(algorithm_));
  jwk["use"] = "sig";
  return jwk;
}

bool PublicKey::Verify(absl::string_view data,
                       absl::string_view signature) const {
  return internal::VerifySignatureWithFittingKey(
      algorithm_, key_.get(), prepared_verify_.get(), data, signature);
}

}  // namespace signet::jwt
