#include "jwt/signature.h"

#include <string>

#include "gtest/gtest.h"
#include "jwt/test_util.h"

namespace signet::jwt {
namespace {

using testing::kAllAlgorithms;
using testing::TestKey;

constexpr char kData[] = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJ4In0";

TEST(Signature, SignedDataVerifies) {
  for (Algorithm algorithm : kAllAlgorithms) {
    const PrivateKey& key = TestKey(algorithm);

    absl::StatusOr<std::string> signature = key.Sign(kData);

    ASSERT_TRUE(signature.ok()) << signature.status();
    EXPECT_TRUE(key.public_key().Verify(kData, *signature));
    EXPECT_TRUE(VerifySignature(algorithm, key.public_key().evp_pkey(), kData,
                                *signature));
  }
}

TEST(Signature, SizesAreTheJoseOnes) {
  EXPECT_EQ(TestKey(Algorithm::kRs256).Sign(kData)->size(), 256u);
  EXPECT_EQ(TestKey(Algorithm::kEs256).Sign(kData)->size(), 64u);
  EXPECT_EQ(TestKey(Algorithm::kEdDsa).Sign(kData)->size(), 64u);
}

TEST(Signature, EveryFlippedBitIsRejected) {
  for (Algorithm algorithm : kAllAlgorithms) {
    SCOPED_TRACE(AlgorithmName(algorithm));
    const PrivateKey& key = TestKey(algorithm);
    std::string signature = *key.Sign(kData);

    for (size_t bit = 0; bit < signature.size() * 8; ++bit) {
      std::string flipped = signature;
      flipped[bit / 8] ^= static_cast<char>(1 << (bit % 8));
      ASSERT_FALSE(key.public_key().Verify(kData, flipped)) << "bit " << bit;
    }
  }
}

TEST(Signature, EveryTruncationAndExtensionIsRejected) {
  for (Algorithm algorithm : kAllAlgorithms) {
    SCOPED_TRACE(AlgorithmName(algorithm));
    const PrivateKey& key = TestKey(algorithm);
    std::string signature = *key.Sign(kData);

    for (size_t length = 0; length < signature.size(); ++length) {
      ASSERT_FALSE(key.public_key().Verify(kData, signature.substr(0, length)))
          << "length " << length;
    }
    EXPECT_FALSE(key.public_key().Verify(kData, signature + '\0'));
    EXPECT_FALSE(
        key.public_key().Verify(kData, std::string(1, '\0') + signature));
  }
}

TEST(Signature, ChangedDataIsRejected) {
  for (Algorithm algorithm : kAllAlgorithms) {
    const PrivateKey& key = TestKey(algorithm);
    std::string signature = *key.Sign(kData);

    EXPECT_FALSE(key.public_key().Verify(std::string(kData) + "x", signature));
    EXPECT_FALSE(key.public_key().Verify("", signature));
  }
}

TEST(Signature, AnotherKeysSignatureIsRejected) {
  for (Algorithm algorithm : kAllAlgorithms) {
    std::string signature = *testing::OtherTestKey(algorithm).Sign(kData);

    EXPECT_FALSE(TestKey(algorithm).public_key().Verify(kData, signature));
  }
}

TEST(Signature, KeyOfAnotherTypeIsAMismatch) {
  for (Algorithm signing : kAllAlgorithms) {
    std::string signature = *TestKey(signing).Sign(kData);
    for (Algorithm other : kAllAlgorithms) {
      if (other == signing) continue;
      EXPECT_FALSE(VerifySignature(
          signing, TestKey(other).public_key().evp_pkey(), kData, signature));
      EXPECT_FALSE(VerifySignature(
          other, TestKey(signing).public_key().evp_pkey(), kData, signature));
    }
  }
}

TEST(Signature, Es256DerSignatureIsRejected) {
  const PrivateKey& key = TestKey(Algorithm::kEs256);
  std::string raw = *key.Sign(kData);
  // The same signature as DER: SEQUENCE { INTEGER r, INTEGER s }, each
  // INTEGER with a leading zero byte when its top bit is set.
  auto integer = [](std::string bytes) {
    if (static_cast<uint8_t>(bytes[0]) & 0x80) bytes.insert(0, 1, '\0');
    return std::string{0x02, static_cast<char>(bytes.size())} + bytes;
  };
  std::string body = integer(raw.substr(0, 32)) + integer(raw.substr(32));
  std::string der = std::string{0x30, static_cast<char>(body.size())} + body;

  EXPECT_FALSE(key.public_key().Verify(kData, der));
}

TEST(Signature, Es256ScalarsOutOfRangeAreRejected) {
  const PrivateKey& key = TestKey(Algorithm::kEs256);
  std::string raw = *key.Sign(kData);
  const std::string zero(32, '\0');
  const std::string order(
      "\xff\xff\xff\xff\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff"
      "\xbc\xe6\xfa\xad\xa7\x17\x9e\x84\xf3\xb9\xca\xc2\xfc\x63\x25\x51",
      32);
  const std::string all_ones(32, '\xff');

  for (const std::string& scalar : {zero, order, all_ones}) {
    EXPECT_FALSE(key.public_key().Verify(kData, scalar + raw.substr(32)));
    EXPECT_FALSE(key.public_key().Verify(kData, raw.substr(0, 32) + scalar));
  }
}

}  // namespace
}  // namespace signet::jwt
