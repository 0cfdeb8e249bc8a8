#include "jwt/crypto_compat.h"

#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <openssl/rsa.h>

#ifndef OPENSSL_IS_BORINGSSL
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#endif

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace signet::jwt {
namespace {

constexpr int kP256CoordinateSize = 32;

UniqueBignum BignumFromBytes(absl::string_view bytes) {
  return UniqueBignum(BN_bin2bn(reinterpret_cast<const uint8_t*>(bytes.data()),
                                static_cast<int>(bytes.size()), nullptr));
}

std::string BytesOf(const BIGNUM* number, int size) {
  std::string bytes(size, '\0');
  BN_bn2binpad(number, reinterpret_cast<uint8_t*>(bytes.data()), size);
  return bytes;
}

std::string MinimalBytesOf(const BIGNUM* number) {
  return BytesOf(number, BN_num_bytes(number));
}

}  // namespace

#ifdef OPENSSL_IS_BORINGSSL

std::string BioContents(BIO* bio) {
  const uint8_t* data = nullptr;
  size_t length = 0;
  BIO_mem_contents(bio, &data, &length);
  return std::string(reinterpret_cast<const char*>(data), length);
}

absl::StatusOr<UniqueEvpPkey> RsaPublicKeyFromParameters(
    absl::string_view modulus, absl::string_view exponent) {
  UniqueBignum n = BignumFromBytes(modulus);
  UniqueBignum e = BignumFromBytes(exponent);
  bssl::UniquePtr<RSA> rsa(RSA_new());
  if (n == nullptr || e == nullptr || rsa == nullptr ||
      !RSA_set0_key(rsa.get(), n.get(), e.get(), nullptr)) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "cannot build an RSA key");
  }
  n.release();
  e.release();
  UniqueEvpPkey key(EVP_PKEY_new());
  if (key == nullptr || !EVP_PKEY_assign_RSA(key.get(), rsa.get())) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot wrap an RSA key");
  }
  rsa.release();
  return key;
}

absl::StatusOr<RsaParameters> RsaPublicParameters(EVP_PKEY* key) {
  const RSA* rsa = EVP_PKEY_get0_RSA(key);
  if (rsa == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "not an RSA key");
  }
  return RsaParameters{MinimalBytesOf(RSA_get0_n(rsa)),
                       MinimalBytesOf(RSA_get0_e(rsa))};
}

absl::StatusOr<UniqueEvpPkey> P256PublicKeyFromCoordinates(
    absl::string_view x, absl::string_view y) {
  if (x.size() != kP256CoordinateSize || y.size() != kP256CoordinateSize) {
    return absl::InvalidArgumentError("a P-256 coordinate is not 32 bytes");
  }
  bssl::UniquePtr<EC_KEY> ec(EC_KEY_new_by_curve_name(NID_X9_62_prime256v1));
  UniqueBignum bx = BignumFromBytes(x);
  UniqueBignum by = BignumFromBytes(y);
  if (ec == nullptr || bx == nullptr || by == nullptr) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "cannot build a P-256 key");
  }
  // Checks that the point is on the curve.
  if (!EC_KEY_set_public_key_affine_coordinates(ec.get(), bx.get(), by.get())) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "the point is not on P-256");
  }
  UniqueEvpPkey key(EVP_PKEY_new());
  if (key == nullptr || !EVP_PKEY_assign_EC_KEY(key.get(), ec.get())) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot wrap an EC key");
  }
  ec.release();
  return key;
}

bool IsP256Key(EVP_PKEY* key) {
  if (EVP_PKEY_id(key) != EVP_PKEY_EC) return false;
  const EC_KEY* ec = EVP_PKEY_get0_EC_KEY(key);
  return ec != nullptr &&
         EC_GROUP_get_curve_name(EC_KEY_get0_group(ec)) == NID_X9_62_prime256v1;
}

absl::StatusOr<std::string> P256PublicCoordinates(EVP_PKEY* key) {
  const EC_KEY* ec = EVP_PKEY_get0_EC_KEY(key);
  UniqueBignum x(BN_new());
  UniqueBignum y(BN_new());
  if (ec == nullptr || x == nullptr || y == nullptr ||
      !EC_POINT_get_affine_coordinates_GFp(EC_KEY_get0_group(ec),
                                           EC_KEY_get0_public_key(ec), x.get(),
                                           y.get(), nullptr)) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "cannot read the P-256 point");
  }
  return BytesOf(x.get(), kP256CoordinateSize) +
         BytesOf(y.get(), kP256CoordinateSize);
}

#else  // OpenSSL 3

namespace {

using UniqueParamBuilder = OpenSslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using UniqueParams = OpenSslPtr<OSSL_PARAM, OSSL_PARAM_free>;

absl::StatusOr<UniqueEvpPkey> PublicKeyFromParams(const char* type,
                                                  OSSL_PARAM_BLD* builder) {
  UniqueParams params(OSSL_PARAM_BLD_to_param(builder));
  UniqueEvpPkeyCtx context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (params == nullptr || context == nullptr ||
      EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY,
                        params.get()) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        absl::StrCat("cannot build an ", type, " key"));
  }
  return UniqueEvpPkey(key);
}

absl::StatusOr<std::string> BignumParam(EVP_PKEY* key, const char* name,
                                        int size) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        absl::StrCat("the key has no parameter ", name));
  }
  UniqueBignum number(raw);
  return size == 0 ? MinimalBytesOf(number.get()) : BytesOf(number.get(), size);
}

}  // namespace

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, length > 0 ? static_cast<size_t>(length) : 0);
}

absl::StatusOr<UniqueEvpPkey> RsaPublicKeyFromParameters(
    absl::string_view modulus, absl::string_view exponent) {
  UniqueBignum n = BignumFromBytes(modulus);
  UniqueBignum e = BignumFromBytes(exponent);
  UniqueParamBuilder builder(OSSL_PARAM_BLD_new());
  if (n == nullptr || e == nullptr || builder == nullptr ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) !=
          1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) !=
          1) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot build an RSA key");
  }
  return PublicKeyFromParams("RSA", builder.get());
}

absl::StatusOr<RsaParameters> RsaPublicParameters(EVP_PKEY* key) {
  RsaParameters parameters;
  SIGNET_ASSIGN_OR_RETURN(parameters.modulus,
                          BignumParam(key, OSSL_PKEY_PARAM_RSA_N, 0));
  SIGNET_ASSIGN_OR_RETURN(parameters.exponent,
                          BignumParam(key, OSSL_PKEY_PARAM_RSA_E, 0));
  return parameters;
}

absl::StatusOr<UniqueEvpPkey> P256PublicKeyFromCoordinates(
    absl::string_view x, absl::string_view y) {
  if (x.size() != kP256CoordinateSize || y.size() != kP256CoordinateSize) {
    return absl::InvalidArgumentError("a P-256 coordinate is not 32 bytes");
  }
  std::string point = absl::StrCat("\x04", x, y);  // uncompressed
  UniqueParamBuilder builder(OSSL_PARAM_BLD_new());
  if (builder == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                      SN_X9_62_prime256v1, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                       point.data(), point.size()) != 1) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "cannot build a P-256 key");
  }
  // Decoding the point checks that it is on the curve.
  absl::StatusOr<UniqueEvpPkey> key = PublicKeyFromParams("EC", builder.get());
  if (!key.ok()) return absl::InvalidArgumentError("the point is not on P-256");
  return key;
}

bool IsP256Key(EVP_PKEY* key) {
  char group[64];
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC ||
      EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                     sizeof(group), nullptr) != 1) {
    DrainOpenSslErrors();
    return false;
  }
  return absl::string_view(group) == SN_X9_62_prime256v1;
}

absl::StatusOr<std::string> P256PublicCoordinates(EVP_PKEY* key) {
  SIGNET_ASSIGN_OR_RETURN(
      std::string x,
      BignumParam(key, OSSL_PKEY_PARAM_EC_PUB_X, kP256CoordinateSize));
  SIGNET_ASSIGN_OR_RETURN(
      std::string y,
      BignumParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, kP256CoordinateSize));
  return x + y;
}

#endif  // OPENSSL_IS_BORINGSSL

}  // namespace signet::jwt
