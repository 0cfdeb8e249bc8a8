// TokenVerifier end to end: a signetd in this process on a private
// PostgreSQL, called over a unix socket with tokens from key files.

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "jwt/key_file.h"
#include "jwt/key_import.h"
#include "signet/v1/token_verifier.grpc.pb.h"
#include "tests/signetd_fixture.h"

namespace signet {
namespace {

using ::signet::v1::KeyChange;
using ::signet::v1::TokenVerifier;

class TokenVerifierTest : public testing::SignetdFixture {
 protected:
  void SetUp() override {
    SignetdFixture::SetUp();
    ASSERT_TRUE(CreateAccount(*admin_, "robot-caller").ok());
    robot_key_ = CreateKeyFile("robot-caller");
  }

  std::unique_ptr<TokenVerifier::Stub> Verifier(const std::string& account_id) {
    auto credentials =
        client::CallCredentialsFromKeyFile(KeyFilePath(account_id));
    return TokenVerifier::NewStub(
        *client::CreateChannel(socket_, {}, *credentials));
  }

  // A token of `account_id`'s key file for `audience`.
  std::string TokenOf(const std::string& account_id,
                      const std::string& audience) {
    auto signer =
        jwt::SignerFromKeyFile(*jwt::ReadKeyFile(KeyFilePath(account_id)));
    return (*signer)->Sign(audience, absl::Minutes(10))->token;
  }

  v1::VerifyTokenResponse Verify(const std::string& token,
                                 const std::string& audience,
                                 grpc::Status* status = nullptr) {
    v1::VerifyTokenRequest request;
    request.set_token(token);
    request.set_audience(audience);
    v1::VerifyTokenResponse response;
    grpc::Status result =
        Verifier(kAdmin)->VerifyToken(Context().get(), request, &response);
    if (status != nullptr) *status = result;
    EXPECT_TRUE(status != nullptr || result.ok())
        << result.error_code() << " " << result.error_message();
    return response;
  }

  v1::Key robot_key_;
};

TEST_F(TokenVerifierTest, VerifyTokenNamesTheAccountKeyAndExpiry) {
  v1::VerifyTokenResponse response =
      Verify(TokenOf("robot-caller", "https://greeter/"), "https://greeter/");

  EXPECT_TRUE(response.verified());
  EXPECT_EQ(response.account_email(), "robot-caller@signet.test");
  EXPECT_EQ(response.key_id(), robot_key_.key_id());
  EXPECT_GT(response.expire_time().seconds(), absl::ToUnixSeconds(absl::Now()));
}

TEST_F(TokenVerifierTest, RefusedTokensComeWithTheirReason) {
  EXPECT_EQ(
      Verify(TokenOf("robot-caller", "https://other/"), "https://greeter/")
          .reason(),
      "wrong_audience");
  EXPECT_EQ(Verify("not.a.token!", "https://greeter/").reason(),
            "token_malformed");
  std::string token = TokenOf("robot-caller", "https://greeter/");
  std::string tampered = token.substr(0, token.size() - 4) + "AAAA";
  v1::VerifyTokenResponse response = Verify(tampered, "https://greeter/");
  EXPECT_FALSE(response.verified());
  EXPECT_EQ(response.reason(), "bad_signature");
  EXPECT_TRUE(response.account_email().empty());
}

TEST_F(TokenVerifierTest, DisabledKeysTokensAreRefusedAtOnce) {
  std::string token = TokenOf("robot-caller", "https://greeter/");
  ASSERT_TRUE(Verify(token, "https://greeter/").verified());
  v1::DisableKeyRequest disable;
  disable.set_name(robot_key_.name());
  v1::Key key;
  ASSERT_TRUE(admin_->DisableKey(Context().get(), disable, &key).ok());

  absl::Time deadline = absl::Now() + absl::Seconds(10);
  std::string reason;
  while (absl::Now() < deadline && reason != "key_disabled") {
    reason = Verify(token, "https://greeter/").reason();
  }
  EXPECT_EQ(reason, "key_disabled");
}

TEST_F(TokenVerifierTest, CallersMustAuthenticateAndNameAnAudience) {
  v1::VerifyTokenRequest request;
  request.set_token(TokenOf("robot-caller", "https://greeter/"));
  request.set_audience("https://greeter/");
  v1::VerifyTokenResponse response;
  auto anonymous = TokenVerifier::NewStub(*client::CreateChannel(socket_, {}));
  EXPECT_EQ(
      anonymous->VerifyToken(Context().get(), request, &response).error_code(),
      grpc::StatusCode::UNAUTHENTICATED);

  grpc::Status status;
  Verify(request.token(), "", &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(TokenVerifierTest, GetKeyGivesTheJwkAndItsState) {
  v1::GetKeyInfoRequest request;
  request.set_key_id(robot_key_.key_id());
  v1::KeyInfo info;
  ASSERT_TRUE(Verifier(kAdmin)->GetKey(Context().get(), request, &info).ok());

  EXPECT_EQ(info.account_email(), "robot-caller@signet.test");
  EXPECT_EQ(info.algorithm(), "ES256");
  EXPECT_FALSE(info.key_disabled());
  EXPECT_FALSE(info.account_disabled());
  absl::StatusOr<jwt::ImportedPublicKey> jwk = jwt::ImportPublicKey(info.jwk());
  ASSERT_TRUE(jwk.ok()) << jwk.status();
  EXPECT_EQ(absl::BytesToHexString(jwk->key.Fingerprint()),
            robot_key_.fingerprint());

  request.set_key_id("0123456789abcdef0123456789abcdef");
  EXPECT_EQ(
      Verifier(kAdmin)->GetKey(Context().get(), request, &info).error_code(),
      grpc::StatusCode::NOT_FOUND);
  request.set_key_id("not a key id");
  EXPECT_EQ(
      Verifier(kAdmin)->GetKey(Context().get(), request, &info).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(TokenVerifierTest, GetPublicKeysPublishesOnlyUsableKeys) {
  v1::Key second = CreateKeyFile("robot-caller");
  v1::DisableKeyRequest disable;
  disable.set_name(robot_key_.name());
  v1::Key key;
  ASSERT_TRUE(admin_->DisableKey(Context().get(), disable, &key).ok());

  v1::GetPublicKeysRequest request;
  request.set_account("accounts/robot-caller");
  v1::GetPublicKeysResponse response;
  ASSERT_TRUE(Verifier(kAdmin)
                  ->GetPublicKeys(Context().get(), request, &response)
                  .ok());

  absl::StatusOr<std::vector<jwt::ImportedPublicKey>> keys =
      jwt::ImportJwks(response.jwks());
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].key_id, second.key_id());
  request.set_account("accounts/no-such-robot");
  EXPECT_EQ(Verifier(kAdmin)
                ->GetPublicKeys(Context().get(), request, &response)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(TokenVerifierTest, WatcherSeesEachChangeOnceInOrder) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto verifier = Verifier(kAdmin);
  auto stream = verifier->WatchKeys(&context, v1::WatchKeysRequest());
  KeyChange change;
  ASSERT_TRUE(stream->Read(&change));
  ASSERT_EQ(change.kind(), KeyChange::RESET);

  ASSERT_TRUE(CreateAccount(*admin_, "watched-robot").ok());
  v1::Key key = CreateKeyFile("watched-robot");
  v1::Key changed;
  v1::DisableKeyRequest disable_key;
  disable_key.set_name(key.name());
  ASSERT_TRUE(admin_->DisableKey(Context().get(), disable_key, &changed).ok());
  v1::EnableKeyRequest enable_key;
  enable_key.set_name(key.name());
  ASSERT_TRUE(admin_->EnableKey(Context().get(), enable_key, &changed).ok());
  v1::DeleteKeyRequest delete_key;
  delete_key.set_name(key.name());
  google::protobuf::Empty empty;
  ASSERT_TRUE(admin_->DeleteKey(Context().get(), delete_key, &empty).ok());
  v1::DisableServiceAccountRequest disable_account;
  disable_account.set_name("accounts/watched-robot");
  v1::ServiceAccount account;
  ASSERT_TRUE(
      admin_->DisableServiceAccount(Context().get(), disable_account, &account)
          .ok());
  v1::DeleteServiceAccountRequest delete_account;
  delete_account.set_name("accounts/watched-robot");
  ASSERT_TRUE(
      admin_->DeleteServiceAccount(Context().get(), delete_account, &empty)
          .ok());

  const std::string email = "watched-robot@signet.test";
  std::vector<std::tuple<KeyChange::Kind, std::string, std::string>> expected =
      {
          {KeyChange::ACCOUNT_CREATED, email, ""},
          {KeyChange::KEY_CREATED, email, key.key_id()},
          {KeyChange::KEY_UPDATED, email, key.key_id()},
          {KeyChange::KEY_UPDATED, email, key.key_id()},
          {KeyChange::KEY_DELETED, email, key.key_id()},
          {KeyChange::ACCOUNT_UPDATED, email, ""},
          {KeyChange::ACCOUNT_DELETED, email, ""},
      };
  for (const auto& [kind, account_email, key_id] : expected) {
    // Changes the fixture made before the stream began may still arrive
    // after its RESET; they concern other accounts.
    do {
      ASSERT_TRUE(stream->Read(&change));
    } while (change.account_email() != email);
    EXPECT_EQ(change.kind(), kind) << change.DebugString();
    EXPECT_EQ(change.account_email(), account_email);
    EXPECT_EQ(change.key_id(), key_id);
  }
  context.TryCancel();
}

// One account cannot take every stream: the others still get theirs.
TEST_F(TokenVerifierTest, OneAccountHoldsOnlyItsShareOfWatchStreams) {
  auto mallory = Verifier("robot-caller");
  std::vector<std::unique_ptr<grpc::ClientContext>> contexts;
  std::vector<std::unique_ptr<grpc::ClientReader<KeyChange>>> streams;
  auto open = [&contexts, &streams](TokenVerifier::Stub& stub) {
    contexts.push_back(Context());
    streams.push_back(stub.WatchKeys(contexts.back().get(), {}));
    KeyChange change;
    return streams.back()->Read(&change) ? grpc::Status::OK
                                         : streams.back()->Finish();
  };
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(open(*mallory).ok()) << i;

  EXPECT_EQ(open(*mallory).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  auto admin = Verifier(kAdmin);
  EXPECT_TRUE(open(*admin).ok());

  for (auto& context : contexts) context->TryCancel();
}

}  // namespace
}  // namespace signet
