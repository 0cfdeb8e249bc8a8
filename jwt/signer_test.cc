#include "jwt/signer.h"

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "jwt/base64url.h"
#include "jwt/jws.h"
#include "jwt/test_util.h"
#include "jwt/verifier.h"

namespace signet::jwt {
namespace {

using testing::kAllAlgorithms;
using testing::kTestNow;
using testing::TestKey;

constexpr char kAccount[] = "robot@signet.test";
constexpr char kAudience[] = "https://svc.test/";

class SignerTest : public ::testing::Test {
 protected:
  std::unique_ptr<Signer> MakeSigner(Algorithm algorithm) {
    absl::StatusOr<std::unique_ptr<Signer>> signer =
        Signer::Create(TestKey(algorithm), "key-1", kAccount, &clock_);
    EXPECT_TRUE(signer.ok()) << signer.status();
    return std::move(*signer);
  }

  static nlohmann::json Segment(const std::string& token, int index) {
    std::vector<std::string> parts = absl::StrSplit(token, '.');
    return nlohmann::json::parse(*Base64UrlDecode(parts[index]));
  }

  FakeClock clock_{kTestNow + absl::Milliseconds(700)};
};

TEST_F(SignerTest, TokensHaveTheServiceAccountShape) {
  for (Algorithm algorithm : kAllAlgorithms) {
    absl::StatusOr<SignedToken> token = MakeSigner(algorithm)->Sign(kAudience);

    ASSERT_TRUE(token.ok()) << token.status();
    EXPECT_EQ(Segment(token->token, 0),
              nlohmann::json({{"alg", std::string(AlgorithmName(algorithm))},
                              {"kid", "key-1"},
                              {"typ", "JWT"}}));
    nlohmann::json claims = Segment(token->token, 1);
    int64_t now = absl::ToUnixSeconds(kTestNow);
    EXPECT_EQ(claims, nlohmann::json({{"iss", kAccount},
                                      {"sub", kAccount},
                                      {"aud", kAudience},
                                      {"iat", now},
                                      {"exp", now + 3600}}));
    EXPECT_EQ(token->issued_at, kTestNow);
    EXPECT_EQ(token->expires_at, kTestNow + absl::Hours(1));
  }
}

TEST_F(SignerTest, TokensVerify) {
  auto keys = std::make_shared<InMemoryKeySource>();
  VerifierOptions options;
  options.audiences = {kAudience};
  options.clock = &clock_;
  std::unique_ptr<Verifier> verifier = *Verifier::Create(options, keys);
  for (Algorithm algorithm : kAllAlgorithms) {
    keys->Put(KeyRecord{"key-1", TestKey(algorithm).public_key(), kAccount});

    absl::StatusOr<VerifiedToken> verified =
        verifier->Verify(MakeSigner(algorithm)->Sign(kAudience)->token);

    ASSERT_TRUE(verified.ok()) << verified.status();
    EXPECT_EQ(verified->account_email(), kAccount);
  }
}

TEST_F(SignerTest, LifetimeIsBoundedAndWholeSeconds) {
  std::unique_ptr<Signer> signer = MakeSigner(Algorithm::kEs256);

  EXPECT_EQ(signer->Sign(kAudience, absl::Seconds(90))->expires_at,
            kTestNow + absl::Seconds(90));
  EXPECT_EQ(signer->Sign(kAudience, absl::Milliseconds(90500))->expires_at,
            kTestNow + absl::Seconds(90));
  for (absl::Duration lifetime :
       {absl::ZeroDuration(), absl::Milliseconds(500), absl::Seconds(-1),
        absl::Seconds(3601), absl::Hours(24), absl::InfiniteDuration()}) {
    EXPECT_EQ(signer->Sign(kAudience, lifetime).status().code(),
              absl::StatusCode::kInvalidArgument)
        << lifetime;
  }
}

TEST_F(SignerTest, TokensOverTheCapAreRefused) {
  std::unique_ptr<Signer> signer = MakeSigner(Algorithm::kRs256);

  EXPECT_TRUE(signer->Sign(std::string(2000, 'a')).ok());
  EXPECT_EQ(signer->Sign(std::string(kMaxTokenSize, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(signer->Sign("").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SignerTest, InvalidUtf8IsRefusedNotThrown) {
  std::unique_ptr<Signer> signer = MakeSigner(Algorithm::kEs256);

  EXPECT_EQ(signer->Sign("https://svc.test/\xff").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Signer::Create(TestKey(Algorithm::kEs256), "k", "robot\xc3@x")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SignerTest, KeyIdsThatVerifiersRefuseAreRefused) {
  for (const std::string& key_id :
       {std::string(""), std::string("a b"), std::string(129, 'a'),
        std::string("k/1")}) {
    EXPECT_EQ(Signer::Create(TestKey(Algorithm::kEs256), key_id, kAccount)
                  .status()
                  .code(),
              absl::StatusCode::kInvalidArgument)
        << key_id;
  }
  EXPECT_FALSE(Signer::Create(TestKey(Algorithm::kEs256), "k", "").ok());
}

}  // namespace
}  // namespace signet::jwt
