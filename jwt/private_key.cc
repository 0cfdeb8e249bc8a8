#include "jwt/private_key.h"

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "jwt/crypto_compat.h"
#include "jwt/pem.h"
#include "jwt/signature.h"

namespace signet::jwt {
namespace {

absl::StatusOr<UniqueEvpPkeyCtx> KeygenContext(Algorithm algorithm,
                                               int rsa_bits) {
  int type = algorithm == Algorithm::kRs256   ? EVP_PKEY_RSA
             : algorithm == Algorithm::kEs256 ? EVP_PKEY_EC
                                              : EVP_PKEY_ED25519;
  UniqueEvpPkeyCtx context(EVP_PKEY_CTX_new_id(type, nullptr));
  if (context == nullptr || EVP_PKEY_keygen_init(context.get()) != 1) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "cannot set up key generation");
  }
  if (algorithm == Algorithm::kRs256 &&
      EVP_PKEY_CTX_set_rsa_keygen_bits(context.get(), rsa_bits) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot set RSA size");
  }
  if (algorithm == Algorithm::kEs256 &&
      EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context.get(),
                                             NID_X9_62_prime256v1) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot set P-256");
  }
  return context;
}

// The DER of a PKCS#1 RSAPrivateKey, read as an EVP_PKEY; null when it is
// malformed or has bytes after it.
UniqueEvpPkey ReadPkcs1(const std::string& der) {
  const uint8_t* cursor = reinterpret_cast<const uint8_t*>(der.data());
  UniqueEvpPkey key(d2i_PrivateKey(EVP_PKEY_RSA, nullptr, &cursor,
                                   static_cast<long>(der.size())));
  if (cursor != reinterpret_cast<const uint8_t*>(der.data()) + der.size()) {
    return nullptr;
  }
  return key;
}

// The DER of a PKCS#8 PrivateKeyInfo (and nothing else: not PKCS#1 or SEC1
// under the wrong label), read as an EVP_PKEY; null when it is malformed or
// has bytes after it.
UniqueEvpPkey ReadPkcs8(const std::string& der) {
  const uint8_t* cursor = reinterpret_cast<const uint8_t*>(der.data());
  OpenSslPtr<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free> info(
      d2i_PKCS8_PRIV_KEY_INFO(nullptr, &cursor, static_cast<long>(der.size())));
  if (info == nullptr ||
      cursor != reinterpret_cast<const uint8_t*>(der.data()) + der.size()) {
    return nullptr;
  }
  return UniqueEvpPkey(EVP_PKCS82PKEY(info.get()));
}

}  // namespace

PrivateKey::PrivateKey(std::shared_ptr<EVP_PKEY> key, PublicKey public_key)
    : key_(std::move(key)), public_key_(std::move(public_key)) {}

absl::StatusOr<PrivateKey> PrivateKey::FromEvpPkey(UniqueEvpPkey key) {
  if (key == nullptr) return absl::InvalidArgumentError("no key");
  // The policy is checked on the public part.
  UniqueEvpPkey copy(key.get());
  EVP_PKEY_up_ref(key.get());
  SIGNET_ASSIGN_OR_RETURN(PublicKey public_key,
                          PublicKey::FromEvpPkey(std::move(copy)));
  return PrivateKey(std::shared_ptr<EVP_PKEY>(key.release(), EVP_PKEY_free),
                    std::move(public_key));
}

absl::StatusOr<PrivateKey> PrivateKey::Generate(Algorithm algorithm,
                                                int rsa_bits) {
  if (algorithm == Algorithm::kRs256 && rsa_bits != 2048 && rsa_bits != 3072 &&
      rsa_bits != 4096) {
    return absl::InvalidArgumentError(absl::StrCat(
        "RSA key size ", rsa_bits, "; signet generates 2048, 3072 or 4096"));
  }
  SIGNET_ASSIGN_OR_RETURN(UniqueEvpPkeyCtx context,
                          KeygenContext(algorithm, rsa_bits));
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_keygen(context.get(), &key) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "key generation failed");
  }
  return FromEvpPkey(UniqueEvpPkey(key));
}

absl::StatusOr<PrivateKey> PrivateKey::FromPem(absl::string_view pem) {
  SIGNET_ASSIGN_OR_RETURN(PemBlock block, ReadSinglePemBlock(pem));
  UniqueEvpPkey key;
  if (block.label == "PRIVATE KEY") {
    key = ReadPkcs8(block.der);
  } else if (block.label == "RSA PRIVATE KEY") {
    key = ReadPkcs1(block.der);
  } else if (block.label == "ENCRYPTED PRIVATE KEY") {
    return absl::InvalidArgumentError(
        "the private key is encrypted; signet reads unencrypted PKCS#8");
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "a PEM \"", block.label,
        "\" block, not a \"PRIVATE KEY\" (PKCS#8) or \"RSA PRIVATE KEY\""));
  }
  if (key == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        absl::StrCat("malformed ", block.label));
  }
  return FromEvpPkey(std::move(key));
}

std::string PrivateKey::ToPkcs8Pem() const {
  UniqueBio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0,
                                nullptr, nullptr);
  return BioContents(bio.get());
}

absl::StatusOr<std::string> PrivateKey::Sign(absl::string_view data) const {
  return jwt::Sign(algorithm(), key_.get(), data);
}

}  // namespace signet::jwt
