// Clients that know nothing of signet, exactly as their libraries make
// them, calling the example Greeter over TLS with a signet key file (RS256,
// made by signetd): gRPC C++'s own ServiceAccountJWTAccessCredentials, and
// Python's google-auth with grpcio (Debian's python3-google-auth and
// python3-grpcio) through examples/python_client.py --keep_padding.
//
// Both pad each base64url segment with '=' (RFC 7515 leaves padding out; a
// 2048-bit RS256 signature, 256 bytes, always needs two), so the Greeter
// here accepts padded tokens (ServerVerifierOptions::padding); a Greeter
// with the default refuses them.
//
// Each refusal test first shows the same client accepted, so that a refusal
// for any other reason cannot pass it; the verifier's decision counters
// name the reason.

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "tests/greeter_fixture.h"
#include "tests/python_client_fixture.h"

namespace signet {
namespace {

using ::signet::testing::CommandResult;
using ::signet::testing::GreeterFixture;
using ::signet::testing::PythonClientFixture;

class GrpcJwtClientTest : public GreeterFixture {
 protected:
  void StartPaddingGreeter(std::vector<std::string> allow = {},
                           std::vector<std::string> audiences = {}) {
    StartGreeter(std::move(allow), std::move(audiences),
                 jwt::Padding::kCanonicalAccepted);
  }

  std::string KeyFileContents(const std::string& account_id) {
    std::ifstream file(KeyFilePath(account_id));
    return std::string(std::istreambuf_iterator<char>(file), {});
  }

  // gRPC's own JWT credentials from a key file's contents, over TLS. gRPC
  // sends https://127.0.0.1:PORT/ as the audience.
  std::shared_ptr<grpc::Channel> GrpcJwtChannel(const std::string& key_file) {
    std::shared_ptr<grpc::CallCredentials> credentials =
        grpc::ServiceAccountJWTAccessCredentials(key_file, 3600);
    EXPECT_NE(credentials, nullptr) << "gRPC refused the key file";
    return TlsChannel(credentials);
  }

  // Asserts that gRPC's JWT credentials of `account_id` pass SayHello: the
  // baseline without which no refusal below would mean anything.
  void ExpectAccepted(const std::string& account_id) {
    std::string message;
    grpc::Status status = Greet(GrpcJwtChannel(KeyFileContents(account_id)),
                                kSayHello, "Ada", &message);
    ASSERT_TRUE(status.ok())
        << "gRPC's JWT credentials were refused: " << status.error_message()
        << "; the verifier decided: " << DecisionsText();
    EXPECT_EQ(message, absl::StrCat("Hello Ada, from ", Email(account_id)));
  }
};

TEST_F(GrpcJwtClientTest, TokensAreAcceptedAndNameTheAccount) {
  MakeCaller("caller-one");
  StartPaddingGreeter();

  ASSERT_NO_FATAL_FAILURE(ExpectAccepted("caller-one"));
}

TEST_F(GrpcJwtClientTest, TokensAreRefusedByAGreeterThatDoesNotOptIn) {
  MakeCaller("caller-one");
  StartGreeter();

  grpc::Status status =
      Greet(GrpcJwtChannel(KeyFileContents("caller-one")), kSayHello, "Ada");

  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Decided("token_malformed"), 1) << DecisionsText();
}

TEST_F(GrpcJwtClientTest, DisabledKeyIsRefused) {
  v1::Key key = MakeCaller("caller-one");
  StartPaddingGreeter();
  std::shared_ptr<grpc::Channel> channel =
      GrpcJwtChannel(KeyFileContents("caller-one"));
  grpc::Status before = Greet(channel, kSayHello, "Ada");
  ASSERT_TRUE(before.ok()) << before.error_message()
                           << "; the verifier decided: " << DecisionsText();

  ASSERT_TRUE(DisableKey(key).ok());

  // gRPC keeps sending the token it cached before the change.
  EXPECT_TRUE(EventuallyGreets(channel, grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_GE(Decided("key_disabled"), 1) << DecisionsText();
}

TEST_F(GrpcJwtClientTest, DisabledAccountIsRefused) {
  MakeCaller("caller-one");
  StartPaddingGreeter();
  std::shared_ptr<grpc::Channel> channel =
      GrpcJwtChannel(KeyFileContents("caller-one"));
  grpc::Status before = Greet(channel, kSayHello, "Ada");
  ASSERT_TRUE(before.ok()) << before.error_message()
                           << "; the verifier decided: " << DecisionsText();

  ASSERT_TRUE(DisableAccount("caller-one").ok());

  EXPECT_TRUE(EventuallyGreets(channel, grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_GE(Decided("account_disabled"), 1) << DecisionsText();
}

TEST_F(GrpcJwtClientTest, AccountNotAllowedIsPermissionDenied) {
  MakeCaller("caller-one");
  MakeCaller("caller-two");
  StartPaddingGreeter({Email("caller-one")});
  ASSERT_NO_FATAL_FAILURE(ExpectAccepted("caller-one"));

  grpc::Status status =
      Greet(GrpcJwtChannel(KeyFileContents("caller-two")), kSayHello, "Ada");

  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Decided("permission_denied"), 1) << DecisionsText();
}

TEST_F(GrpcJwtClientTest, AudienceTheServerDoesNotAcceptIsRefused) {
  MakeCaller("caller-one");
  StartPaddingGreeter({}, {DefaultAudience()});
  ASSERT_NO_FATAL_FAILURE(ExpectAccepted("caller-one"));

  // Dialled by address with the certificate's name as an override, gRPC
  // takes the override as the authority: https://localhost/, no port.
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = ReadCertificate();
  grpc::ChannelArguments arguments;
  arguments.SetSslTargetNameOverride("localhost");
  auto channel = grpc::CreateCustomChannel(
      absl::StrCat("127.0.0.1:", port_),
      grpc::CompositeChannelCredentials(
          grpc::SslCredentials(tls), grpc::ServiceAccountJWTAccessCredentials(
                                         KeyFileContents("caller-one"), 3600)),
      arguments);
  grpc::Status status = Greet(channel, kSayHello, "Ada");

  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Decided("wrong_audience"), 1) << DecisionsText();
}

TEST_F(GrpcJwtClientTest, KeyOfAnotherAccountIsRefused) {
  MakeCaller("caller-one");
  MakeCaller("caller-two");
  StartPaddingGreeter();
  ASSERT_NO_FATAL_FAILURE(ExpectAccepted("caller-one"));
  // caller-two's key file, edited to claim caller-one's email.
  std::string forged =
      absl::StrReplaceAll(KeyFileContents("caller-two"),
                          {{Email("caller-two"), Email("caller-one")}});
  ASSERT_NE(forged, KeyFileContents("caller-two"));

  grpc::Status status = Greet(GrpcJwtChannel(forged), kSayHello, "Ada");

  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Decided("wrong_issuer"), 1) << DecisionsText();
}

using GoogleAuthClientTest = PythonClientFixture;

// With --keep_padding the example client sends google-auth's tokens exactly
// as google-auth makes them; without it, it re-encodes them unpadded when
// its google-auth pads (see python_client_test).
TEST_F(GoogleAuthClientTest, UnchangedTokensAreAcceptedByAGreeterThatOptsIn) {
  MakeCaller("caller-one");
  StartGreeter({}, {}, jwt::Padding::kCanonicalAccepted);

  ASSERT_NO_FATAL_FAILURE(ExpectAccepted("caller-one", {"--keep_padding"}));
}

TEST_F(GoogleAuthClientTest, PaddedTokensAreRefusedByAGreeterThatDoesNotOptIn) {
  MakeCaller("caller-one");
  StartGreeter();
  // The padding is the one defect: the same client, re-encoding, passes.
  ASSERT_NO_FATAL_FAILURE(ExpectAccepted("caller-one"));
  if (!absl::StrContains(RunPythonClient("caller-one").output,
                         "pads token segments")) {
    GTEST_SKIP() << "this google-auth does not pad its tokens";
  }

  CommandResult result = RunPythonClient("caller-one", {"--keep_padding"});

  EXPECT_EQ(result.exit_code, kUnauthenticated) << result.output;
  EXPECT_EQ(Decided("token_malformed"), 1) << DecisionsText();
}

}  // namespace
}  // namespace signet
