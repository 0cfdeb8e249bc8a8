#include "jwt/private_key.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "jwt/test_util.h"

namespace signet::jwt {
namespace {

using testing::kAllAlgorithms;
using testing::ReadTestData;

TEST(PrivateKey, GeneratesEveryAlgorithmAndSize) {
  for (Algorithm algorithm : kAllAlgorithms) {
    absl::StatusOr<PrivateKey> key = PrivateKey::Generate(algorithm);

    ASSERT_TRUE(key.ok()) << key.status();
    EXPECT_EQ(key->algorithm(), algorithm);
  }
  for (int bits : {3072, 4096}) {
    absl::StatusOr<PrivateKey> key =
        PrivateKey::Generate(Algorithm::kRs256, bits);

    ASSERT_TRUE(key.ok()) << key.status();
    EXPECT_EQ(EVP_PKEY_bits(key->evp_pkey()), bits);
  }
}

TEST(PrivateKey, RefusesRsaSizesOutsideThePolicy) {
  for (int bits : {512, 1024, 2047, 2049, 8192}) {
    EXPECT_EQ(PrivateKey::Generate(Algorithm::kRs256, bits).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bits;
  }
}

TEST(PrivateKey, RoundTripsThroughPkcs8Pem) {
  for (Algorithm algorithm : kAllAlgorithms) {
    const PrivateKey& key = testing::TestKey(algorithm);

    absl::StatusOr<PrivateKey> read = PrivateKey::FromPem(key.ToPkcs8Pem());

    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_TRUE(
        absl::StartsWith(key.ToPkcs8Pem(), "-----BEGIN PRIVATE KEY-----"));
    EXPECT_EQ(read->public_key().Fingerprint(), key.public_key().Fingerprint());
  }
}

TEST(PrivateKey, ReadsPkcs1AndPkcs8RsaAsTheSameKey) {
  absl::StatusOr<PrivateKey> pkcs1 =
      PrivateKey::FromPem(ReadTestData("rsa2048_pkcs1.pem"));
  absl::StatusOr<PrivateKey> pkcs8 =
      PrivateKey::FromPem(ReadTestData("rsa2048_pkcs8.pem"));

  ASSERT_TRUE(pkcs1.ok()) << pkcs1.status();
  ASSERT_TRUE(pkcs8.ok()) << pkcs8.status();
  EXPECT_EQ(pkcs1->public_key().Fingerprint(),
            pkcs8->public_key().Fingerprint());
}

TEST(PrivateKey, RefusesOtherFormsWithWhatWasFound) {
  struct Case {
    std::string pem;
    const char* message;
  } cases[] = {
      {ReadTestData("rsa2048_encrypted.pem"), "encrypted"},
      {ReadTestData("p256_sec1.pem"), "EC PRIVATE KEY"},
      {ReadTestData("rsa1024_public.pem"), "PUBLIC KEY"},
      {"not a key", "not PEM"},
      {ReadTestData("rsa2048_pkcs8.pem") + "extra", "after the PEM block"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<PrivateKey> key = PrivateKey::FromPem(c.pem);

    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(key.status().message(), c.message))
        << key.status() << " should mention " << c.message;
  }
}

TEST(PrivateKey, PublicPartCarriesNoPrivateKey) {
  const PrivateKey& key = testing::TestKey(Algorithm::kEs256);

  std::string pem = key.public_key().ToPem();

  EXPECT_TRUE(absl::StartsWith(pem, "-----BEGIN PUBLIC KEY-----"));
  EXPECT_FALSE(absl::StrContains(pem, "PRIVATE"));
}

}  // namespace
}  // namespace signet::jwt
