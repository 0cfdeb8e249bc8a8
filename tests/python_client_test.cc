// examples/python_client.py, on google-auth and grpcio, against the
// example Greeter over TLS with a signet RS256 key file made by signetd:
// accepted for the right audience, refused for another audience, a
// disabled key, or an account the Greeter does not allow. Each refusal test
// first shows the same client accepted, so that a refusal for any other
// reason cannot pass it; the verifier's decision counters name the reason.

#include <string>

#include "gtest/gtest.h"
#include "tests/python_client_fixture.h"

namespace signet {
namespace {

using ::signet::testing::CommandResult;
using PythonClientTest = ::signet::testing::PythonClientFixture;

TEST_F(PythonClientTest, JwtCredentialsAreAcceptedAndNameTheAccount) {
  MakeCaller("caller-one");
  StartGreeter();

  ASSERT_NO_FATAL_FAILURE(ExpectAccepted("caller-one"));
}

TEST_F(PythonClientTest, AudienceTheServerDoesNotAcceptIsRefused) {
  MakeCaller("caller-one");
  StartGreeter();
  ASSERT_NO_FATAL_FAILURE(ExpectAccepted("caller-one"));

  CommandResult result =
      RunPythonClient("caller-one", {"--audience=https://greeter.example/"});

  EXPECT_EQ(result.exit_code, kUnauthenticated) << result.output;
  EXPECT_EQ(Decided("wrong_audience"), 1) << DecisionsText();
}

TEST_F(PythonClientTest, OnDemandCredentialsNameTheServiceUrl) {
  MakeCaller("caller-one");
  StartGreeter({}, {ServiceUrl()});

  ASSERT_NO_FATAL_FAILURE(ExpectAccepted("caller-one", {"--on_demand"}));
}

TEST_F(PythonClientTest, OnDemandCredentialsAreRefusedWithoutThatAudience) {
  MakeCaller("caller-one");
  StartGreeter();
  ASSERT_NO_FATAL_FAILURE(ExpectAccepted("caller-one"));

  CommandResult result = RunPythonClient("caller-one", {"--on_demand"});

  EXPECT_EQ(result.exit_code, kUnauthenticated) << result.output;
  EXPECT_EQ(Decided("wrong_audience"), 1) << DecisionsText();
}

TEST_F(PythonClientTest, DisabledKeyIsRefused) {
  v1::Key key = MakeCaller("caller-one");
  StartGreeter();
  ASSERT_NO_FATAL_FAILURE(ExpectAccepted("caller-one"));

  ASSERT_TRUE(DisableKey(key).ok());

  EXPECT_TRUE(EventuallyExits("caller-one", kUnauthenticated));
  EXPECT_GE(Decided("key_disabled"), 1) << DecisionsText();
}

TEST_F(PythonClientTest, AccountNotAllowedIsPermissionDenied) {
  MakeCaller("caller-one");
  MakeCaller("caller-two");
  StartGreeter({Email("caller-one")});
  ASSERT_NO_FATAL_FAILURE(ExpectAccepted("caller-one"));

  CommandResult result = RunPythonClient("caller-two");

  EXPECT_EQ(result.exit_code, kPermissionDenied) << result.output;
  EXPECT_EQ(Decided("permission_denied"), 1) << DecisionsText();
}

}  // namespace
}  // namespace signet
