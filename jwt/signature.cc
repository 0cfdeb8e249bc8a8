#include "jwt/signature.h"

#include <openssl/crypto.h>

#include <cstring>

#include "jwt/crypto_compat.h"

namespace signet::jwt {
namespace {

constexpr size_t kP256ScalarSize = 32;
constexpr size_t kEs256SignatureSize = 2 * kP256ScalarSize;
constexpr size_t kEd25519SignatureSize = 64;

// The order n of P-256's base point, big-endian.
constexpr uint8_t kP256Order[kP256ScalarSize] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
    0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};

const EVP_MD* DigestFor(Algorithm algorithm) {
  // Ed25519 hashes internally: EVP takes no digest for it.
  return algorithm == Algorithm::kEdDsa ? nullptr : EVP_sha256();
}

bool KeyFits(Algorithm algorithm, EVP_PKEY* key) {
  switch (algorithm) {
    case Algorithm::kRs256:
      return EVP_PKEY_id(key) == EVP_PKEY_RSA;
    case Algorithm::kEs256:
      return IsP256Key(key);
    case Algorithm::kEdDsa:
      return EVP_PKEY_id(key) == EVP_PKEY_ED25519;
  }
  return false;
}

// 1 <= scalar <= n - 1, for a 32-byte big-endian scalar.
bool IsValidP256Scalar(const uint8_t* scalar) {
  static constexpr uint8_t kZero[kP256ScalarSize] = {};
  return memcmp(scalar, kZero, kP256ScalarSize) != 0 &&
         memcmp(scalar, kP256Order, kP256ScalarSize) < 0;
}

// r || s -> DER ECDSA-Sig-Value, which is what EVP verifies; "" on an
// allocation failure.
std::string RawToDerEcdsa(absl::string_view raw) {
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(raw.data());
  UniqueEcdsaSig sig(ECDSA_SIG_new());
  UniqueBignum r(BN_bin2bn(bytes, kP256ScalarSize, nullptr));
  UniqueBignum s(BN_bin2bn(bytes + kP256ScalarSize, kP256ScalarSize, nullptr));
  if (sig == nullptr || r == nullptr || s == nullptr ||
      ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    DrainOpenSslErrors();
    return "";
  }
  r.release();  // owned by sig now
  s.release();
  uint8_t* der = nullptr;
  int length = i2d_ECDSA_SIG(sig.get(), &der);
  if (length <= 0) {
    DrainOpenSslErrors();
    return "";
  }
  std::string out(reinterpret_cast<char*>(der), length);
  OPENSSL_free(der);
  return out;
}

// DER ECDSA-Sig-Value -> r || s, as JOSE wants it.
absl::StatusOr<std::string> DerToRawEcdsa(absl::string_view der) {
  const uint8_t* cursor = reinterpret_cast<const uint8_t*>(der.data());
  UniqueEcdsaSig sig(
      d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der.size())));
  if (sig == nullptr) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "cannot decode an ECDSA signature");
  }
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(kEs256SignatureSize, '\0');
  uint8_t* out = reinterpret_cast<uint8_t*>(raw.data());
  if (BN_bn2binpad(r, out, kP256ScalarSize) != kP256ScalarSize ||
      BN_bn2binpad(s, out + kP256ScalarSize, kP256ScalarSize) !=
          kP256ScalarSize) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "ECDSA signature out of range");
  }
  return raw;
}

bool DigestVerify(Algorithm algorithm, EVP_PKEY* key,
                  const EVP_MD_CTX* prepared, absl::string_view data,
                  absl::string_view signature) {
  UniqueEvpMdCtx context(EVP_MD_CTX_new());
  bool ready =
      context != nullptr &&
      (prepared != nullptr
           ? EVP_MD_CTX_copy_ex(context.get(), prepared) == 1
           : EVP_DigestVerifyInit(context.get(), nullptr, DigestFor(algorithm),
                                  nullptr, key) == 1);
  bool valid =
      ready &&
      EVP_DigestVerify(
          context.get(), reinterpret_cast<const uint8_t*>(signature.data()),
          signature.size(), reinterpret_cast<const uint8_t*>(data.data()),
          data.size()) == 1;
  if (!valid) DrainOpenSslErrors();
  return valid;
}

}  // namespace

namespace internal {

UniqueEvpMdCtx PrepareVerifyContext(Algorithm algorithm, EVP_PKEY* key) {
  if (algorithm == Algorithm::kEdDsa) return nullptr;
  UniqueEvpMdCtx context(EVP_MD_CTX_new());
  if (context == nullptr ||
      EVP_DigestVerifyInit(context.get(), nullptr, DigestFor(algorithm),
                           nullptr, key) != 1) {
    DrainOpenSslErrors();
    return nullptr;
  }
  return context;
}

bool VerifySignatureWithFittingKey(Algorithm algorithm, EVP_PKEY* key,
                                   const EVP_MD_CTX* prepared,
                                   absl::string_view data,
                                   absl::string_view signature) {
  switch (algorithm) {
    case Algorithm::kRs256:
      if (signature.size() != static_cast<size_t>(EVP_PKEY_size(key))) {
        return false;
      }
      return DigestVerify(algorithm, key, prepared, data, signature);
    case Algorithm::kEs256: {
      if (signature.size() != kEs256SignatureSize) return false;
      const uint8_t* raw = reinterpret_cast<const uint8_t*>(signature.data());
      if (!IsValidP256Scalar(raw) ||
          !IsValidP256Scalar(raw + kP256ScalarSize)) {
        return false;
      }
      std::string der = RawToDerEcdsa(signature);
      return !der.empty() && DigestVerify(algorithm, key, prepared, data, der);
    }
    case Algorithm::kEdDsa:
      if (signature.size() != kEd25519SignatureSize) return false;
      return DigestVerify(algorithm, key, prepared, data, signature);
  }
  return false;
}

}  // namespace internal

bool VerifySignature(Algorithm algorithm, EVP_PKEY* key, absl::string_view data,
                     absl::string_view signature) {
  if (key == nullptr || !KeyFits(algorithm, key)) return false;
  return internal::VerifySignatureWithFittingKey(algorithm, key, nullptr, data,
                                                 signature);
}

absl::StatusOr<std::string> Sign(Algorithm algorithm, EVP_PKEY* key,
                                 absl::string_view data) {
  if (key == nullptr || !KeyFits(algorithm, key)) {
    return absl::InvalidArgumentError("the key does not fit the algorithm");
  }
  UniqueEvpMdCtx context(EVP_MD_CTX_new());
  const uint8_t* input = reinterpret_cast<const uint8_t*>(data.data());
  size_t length = 0;
  if (context == nullptr ||
      EVP_DigestSignInit(context.get(), nullptr, DigestFor(algorithm), nullptr,
                         key) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length, input, data.size()) !=
          1) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot sign");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(),
                     reinterpret_cast<uint8_t*>(signature.data()), &length,
                     input, data.size()) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot sign");
  }
  signature.resize(length);
  if (algorithm == Algorithm::kEs256) return DerToRawEcdsa(signature);
  return signature;
}

}  // namespace signet::jwt
