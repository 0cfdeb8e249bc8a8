#include "examples/protected_greeter.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace signet::examples {
namespace {

using ::signet::server::ListenAddress;
using ::testing::ElementsAre;
using Kind = ::signet::verifier::AccessRule::Kind;

constexpr char kSayHello[] = "/signet.examples.Greeter/SayHello";
constexpr char kSayHelloOpenly[] = "/signet.examples.Greeter/SayHelloOpenly";

ListenAddress Tls(const std::string& address) {
  return {ListenAddress::Transport::kTls, address};
}

TEST(DefaultAudiences, LoopbackAddressAlsoGetsLocalhost) {
  auto audiences = DefaultAudiences({Tls("127.0.0.1:7444")});

  ASSERT_TRUE(audiences.ok()) << audiences.status();
  EXPECT_THAT(*audiences, ElementsAre("https://127.0.0.1:7444/",
                                      "https://localhost:7444/"));
}

TEST(DefaultAudiences, NamedHostGetsItsNameOnly) {
  auto audiences = DefaultAudiences({Tls("greeter.example:8443")});

  ASSERT_TRUE(audiences.ok()) << audiences.status();
  EXPECT_THAT(*audiences, ElementsAre("https://greeter.example:8443/"));
}

TEST(DefaultAudiences, WildcardHostGetsLocalhostOnly) {
  auto audiences = DefaultAudiences({Tls("0.0.0.0:7444"), Tls("[::]:7445")});

  ASSERT_TRUE(audiences.ok()) << audiences.status();
  EXPECT_THAT(*audiences, ElementsAre("https://localhost:7444/",
                                      "https://localhost:7445/"));
}

TEST(DefaultAudiences, UnixSocketGetsLocalhostWithoutPort) {
  auto audiences = DefaultAudiences(
      {{ListenAddress::Transport::kLocal, "unix:/tmp/greeter.sock"},
       Tls("[::1]:7444")});

  ASSERT_TRUE(audiences.ok()) << audiences.status();
  EXPECT_THAT(*audiences,
              ElementsAre("https://[::1]:7444/", "https://localhost:7444/",
                          "https://localhost/"));
}

TEST(DefaultAudiences, PortZeroIsRefused) {
  auto audiences = DefaultAudiences({Tls("127.0.0.1:0")});

  EXPECT_EQ(audiences.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(GreeterAccessPolicy, OpenMethodIsOpenWhateverTheList) {
  verifier::AccessPolicy policy = GreeterAccessPolicy({"a@signet.test"});

  EXPECT_EQ(policy.RuleFor(kSayHelloOpenly).kind, Kind::kOpen);
}

TEST(GreeterAccessPolicy, EmptyListLetsAnyAccountSayHello) {
  verifier::AccessPolicy policy = GreeterAccessPolicy({});

  EXPECT_EQ(policy.RuleFor(kSayHello).kind, Kind::kAnyAccount);
  EXPECT_EQ(policy.RuleFor("/other.Service/Call").kind, Kind::kAnyAccount);
}

TEST(GreeterAccessPolicy, ListNamesWhoMaySayHello) {
  verifier::AccessPolicy policy =
      GreeterAccessPolicy({"a@signet.test", "batch-*@signet.test"});
  const verifier::AccessRule& rule = policy.RuleFor(kSayHello);

  EXPECT_EQ(rule.kind, Kind::kAccounts);
  EXPECT_TRUE(verifier::AccessPolicy::Allows(rule, "a@signet.test"));
  EXPECT_TRUE(verifier::AccessPolicy::Allows(rule, "batch-7@signet.test"));
  EXPECT_FALSE(verifier::AccessPolicy::Allows(rule, "b@signet.test"));
}

TEST(CheckAllowList, AccountIdWithoutDomainIsRefused) {
  EXPECT_TRUE(CheckAllowList({"a@signet.test", "*@signet.test"}).ok());
  EXPECT_EQ(CheckAllowList({"a@signet.test", "robot"}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckAllowList({""}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckAllowList({"a b@signet.test"}).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace signet::examples
