// The example Greeter behind the server-side verifier, over TLS, with keys
// from a real signetd, called with signet's call-credentials plugin: its
// access rules and the identity its handler sees.

#include <string>

#include "client/call_credentials.h"
#include "gtest/gtest.h"
#include "tests/greeter_fixture.h"

namespace signet {
namespace {

using ::signet::testing::GreeterFixture;

class GreeterTest : public GreeterFixture {
 protected:
  std::shared_ptr<grpc::Channel> PluginChannel(const std::string& account_id) {
    absl::StatusOr<std::shared_ptr<grpc::CallCredentials>> credentials =
        client::CallCredentialsFromKeyFile(KeyFilePath(account_id));
    EXPECT_TRUE(credentials.ok()) << credentials.status();
    return TlsChannel(credentials.ok() ? *credentials : nullptr);
  }
};

TEST_F(GreeterTest, HandlerGreetsTheAccountTheTokenProved) {
  MakeCaller("caller-one");
  StartGreeter();

  std::string message;
  grpc::Status status =
      Greet(PluginChannel("caller-one"), kSayHello, "Ada", &message);

  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(message, "Hello Ada, from caller-one@signet.test");
  EXPECT_EQ(Decided("allowed"), 1);
}

TEST_F(GreeterTest, CallWithoutTokenIsUnauthenticated) {
  StartGreeter();

  grpc::Status status = Greet(TlsChannel(), kSayHello, "Ada");

  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Decided("token_missing"), 1);
}

TEST_F(GreeterTest, OpenMethodAnswersWithoutToken) {
  StartGreeter({Email("caller-one")});

  std::string message;
  grpc::Status status = Greet(TlsChannel(), kSayHelloOpenly, "Ada", &message);

  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(message, "Hello Ada, from an anonymous caller");
  EXPECT_EQ(Decided("open"), 1);
}

TEST_F(GreeterTest, OpenMethodStillNamesACallerWithAValidToken) {
  MakeCaller("caller-two");
  StartGreeter({Email("caller-one")});

  std::string message;
  grpc::Status status =
      Greet(PluginChannel("caller-two"), kSayHelloOpenly, "Ada", &message);

  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(message, "Hello Ada, from caller-two@signet.test");
}

TEST_F(GreeterTest, OpenMethodStillRefusesAnInvalidToken) {
  MakeCaller("caller-one");
  StartGreeter({}, {"https://elsewhere.example/"});

  grpc::Status status =
      Greet(PluginChannel("caller-one"), kSayHelloOpenly, "Ada");

  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Decided("wrong_audience"), 1);
}

TEST_F(GreeterTest, EmptyAllowListLetsAnyAccountIn) {
  MakeCaller("caller-one");
  MakeCaller("caller-two");
  StartGreeter();

  EXPECT_TRUE(Greet(PluginChannel("caller-one"), kSayHello, "a").ok());
  EXPECT_TRUE(Greet(PluginChannel("caller-two"), kSayHello, "b").ok());
}

TEST_F(GreeterTest, AccountOutsideTheAllowListIsPermissionDenied) {
  MakeCaller("caller-one");
  MakeCaller("caller-two");
  StartGreeter({Email("caller-one")});

  grpc::Status listed = Greet(PluginChannel("caller-one"), kSayHello, "a");
  grpc::Status unlisted = Greet(PluginChannel("caller-two"), kSayHello, "b");

  EXPECT_TRUE(listed.ok()) << listed.error_message();
  EXPECT_EQ(unlisted.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Decided("permission_denied"), 1);
}

TEST_F(GreeterTest, AllowListPatternsMatchWholeEmails) {
  MakeCaller("batch-one");
  MakeCaller("batch-two");
  MakeCaller("web-batch-one");
  StartGreeter({"batch-*@signet.test"});

  EXPECT_TRUE(Greet(PluginChannel("batch-one"), kSayHello, "a").ok());
  EXPECT_TRUE(Greet(PluginChannel("batch-two"), kSayHello, "b").ok());
  EXPECT_EQ(Greet(PluginChannel("web-batch-one"), kSayHello, "c").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(GreeterTest, DisabledKeyIsRefusedOnceTheChangeArrives) {
  v1::Key key = MakeCaller("caller-one");
  StartGreeter();
  std::shared_ptr<grpc::Channel> channel = PluginChannel("caller-one");
  ASSERT_TRUE(Greet(channel, kSayHello, "Ada").ok());

  ASSERT_TRUE(DisableKey(key).ok());

  // The plugin still sends the token it cached before the change.
  EXPECT_TRUE(EventuallyGreets(channel, grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_GE(Decided("key_disabled"), 1);
}

}  // namespace
}  // namespace signet
