// What a verifier makes of signetd's GetKey answers: the key it asked for,
// in the algorithm signetd names, under the key policy; anything else is
// UNAVAILABLE, never a usable key.

#include "verifier/signetd_key_source.h"

#include "gtest/gtest.h"
#include "jwt/algorithm.h"
#include "jwt/private_key.h"

namespace signet::verifier {
namespace {

v1::KeyInfo InfoOf(const jwt::PrivateKey& key, const std::string& key_id) {
  v1::KeyInfo info;
  info.set_key_id(key_id);
  info.set_jwk(key.public_key().ToJwk(key_id).dump());
  info.set_algorithm(
      std::string(jwt::AlgorithmName(key.public_key().algorithm())));
  info.set_account_email("robot@signet.test");
  return info;
}

class KeyRecordFromKeyInfoTest : public ::testing::Test {
 protected:
  jwt::PrivateKey key_ = *jwt::PrivateKey::Generate(jwt::Algorithm::kEs256);
};

TEST_F(KeyRecordFromKeyInfoTest, AnswerForTheKeyAskedForIsUsed) {
  v1::KeyInfo info = InfoOf(key_, "key-1");
  info.set_key_disabled(true);
  info.mutable_valid_before()->set_seconds(1767225600);

  absl::StatusOr<jwt::KeyRecord> record = KeyRecordFromKeyInfo("key-1", info);

  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->account_email, "robot@signet.test");
  EXPECT_TRUE(record->key_disabled);
  EXPECT_FALSE(record->account_disabled);
  EXPECT_EQ(record->validity.not_after, absl::FromUnixSeconds(1767225600));
  EXPECT_FALSE(record->validity.not_before.has_value());
  EXPECT_EQ(record->key.Fingerprint(), key_.public_key().Fingerprint());
}

TEST_F(KeyRecordFromKeyInfoTest, AnswerForAnotherKeyIsRefused) {
  absl::Status status =
      KeyRecordFromKeyInfo("key-1", InfoOf(key_, "key-2")).status();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
}

TEST_F(KeyRecordFromKeyInfoTest, AlgorithmOtherThanTheKeysIsRefused) {
  v1::KeyInfo info = InfoOf(key_, "key-1");
  info.set_algorithm("RS256");
  absl::Status status = KeyRecordFromKeyInfo("key-1", info).status();
  EXPECT_TRUE(absl::IsUnavailable(status)) << status;
}

TEST_F(KeyRecordFromKeyInfoTest, KeysOutsideThePolicyOrNotKeysAreRefused) {
  v1::KeyInfo info = InfoOf(key_, "key-1");
  for (const char* jwk :
       {"", "{}", "not json", R"({"kty":"oct","k":"c2VjcmV0"})",
        R"({"kty":"RSA","n":"AQAB","e":"AQAB"})"}) {
    info.set_jwk(jwk);
    absl::Status status = KeyRecordFromKeyInfo("key-1", info).status();
    EXPECT_TRUE(absl::IsUnavailable(status)) << jwk << ": " << status;
  }
  // A private key's JWK is never taken for a public key.
  info.set_jwk(R"({"kty":"EC","crv":"P-256","x":"AA","y":"AA","d":"AA"})");
  EXPECT_FALSE(KeyRecordFromKeyInfo("key-1", info).ok());
}

}  // namespace
}  // namespace signet::verifier
