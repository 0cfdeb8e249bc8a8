#include "verifier/call_verifier.h"

#include "gtest/gtest.h"
#include "jwt/reason.h"
#include "jwt/signer.h"
#include "jwt/test_util.h"

namespace signet::verifier {
namespace {

constexpr char kAccount[] = "robot@signet.test";
constexpr char kAudience[] = "https://svc.test/";

class CallVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override { Put(jwt::KeyValidity{}); }

  void Put(jwt::KeyValidity validity) {
    jwt::KeyRecord record{"key-1", key_.public_key(), kAccount};
    record.validity = validity;
    keys_->Put(record);
  }

  std::string Token() {
    return (*signer_)->Sign(kAudience, absl::Hours(1))->token;
  }

  FakeClock clock_{jwt::testing::kTestNow};
  const jwt::PrivateKey& key_ = jwt::testing::TestKey(jwt::Algorithm::kEs256);
  absl::StatusOr<std::unique_ptr<jwt::Signer>> signer_ =
      jwt::Signer::Create(key_, "key-1", kAccount, &clock_);
  std::shared_ptr<jwt::InMemoryKeySource> keys_ =
      std::make_shared<jwt::InMemoryKeySource>();
  CallVerifier callers_{*jwt::Verifier::Create(
                            [this] {
                              jwt::VerifierOptions options;
                              options.audiences = {kAudience};
                              options.clock = &clock_;
                              return options;
                            }(),
                            keys_),
                        absl::Minutes(5), 10000, &clock_};
};

TEST_F(CallVerifierTest, RememberedTokensSkipTheKeySource) {
  std::string token = Token();
  ASSERT_TRUE(callers_.Verify(token).ok());
  keys_->Remove("key-1");  // unheard of: no Forget call

  EXPECT_TRUE(callers_.Verify(token).ok());
}

TEST_F(CallVerifierTest, ForgetKeyAndForgetAccountVerifyAgain) {
  std::string token = Token();
  ASSERT_TRUE(callers_.Verify(token).ok());
  keys_->Remove("key-1");

  callers_.ForgetKey("other-key");
  EXPECT_TRUE(callers_.Verify(token).ok());
  callers_.ForgetAccount(kAccount);
  EXPECT_EQ(jwt::ReasonOf(callers_.Verify(token).status()),
            jwt::Reason::kUnknownKey);
}

TEST_F(CallVerifierTest, TokensAreForgottenAfterMaxRemember) {
  std::string token = Token();
  ASSERT_TRUE(callers_.Verify(token).ok());
  keys_->Remove("key-1");

  clock_.Advance(absl::Minutes(5));
  EXPECT_FALSE(callers_.Verify(token).ok());
}

// A key served stale (the source unreachable) is good for one call: the
// token is verified again next time.
TEST_F(CallVerifierTest, TokensVerifiedWithAStaleKeyAreNotRemembered) {
  jwt::KeyRecord record{"key-1", key_.public_key(), kAccount};
  record.stale = true;
  keys_->Put(record);
  std::string token = Token();
  ASSERT_TRUE(callers_.Verify(token).ok());
  keys_->Remove("key-1");

  EXPECT_EQ(jwt::ReasonOf(callers_.Verify(token).status()),
            jwt::Reason::kUnknownKey);
}

// No notice announces that a key's validity window ended: a token verified
// just before must not stay remembered past it.
TEST_F(CallVerifierTest, TokensAreForgottenWhenTheirKeysValidityEnds) {
  Put(jwt::KeyValidity{std::nullopt,
                       jwt::testing::kTestNow + absl::Minutes(1)});
  std::string token = Token();
  ASSERT_TRUE(callers_.Verify(token).ok());

  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(jwt::ReasonOf(callers_.Verify(token).status()),
            jwt::Reason::kKeyExpired);
}

}  // namespace
}  // namespace signet::verifier
