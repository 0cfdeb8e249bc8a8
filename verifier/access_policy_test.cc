#include "verifier/access_policy.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace signet::verifier {
namespace {

using Kind = AccessRule::Kind;

TEST(AccessPolicy, MethodBeatsServiceBeatsDefault) {
  AccessPolicy policy;
  policy.SetDefault({Kind::kAccounts, {"admin@x"}});
  policy.Set("/pkg.Svc/*", {Kind::kAnyAccount});
  policy.Set("/pkg.Svc/Open", {Kind::kOpen});

  EXPECT_EQ(policy.RuleFor("/pkg.Svc/Open").kind, Kind::kOpen);
  EXPECT_EQ(policy.RuleFor("/pkg.Svc/Other").kind, Kind::kAnyAccount);
  EXPECT_EQ(policy.RuleFor("/other.Svc/Open").kind, Kind::kAccounts);
  EXPECT_EQ(policy.RuleFor("").kind, Kind::kAccounts);
}

TEST(AccessPolicy, ListedAccountsMatchExactlyOrByPattern) {
  AccessRule rule{
      Kind::kAccounts,
      {"ops@prod.signet", "billing-*@prod.signet", "*@test.signet"}};

  EXPECT_TRUE(AccessPolicy::Allows(rule, "ops@prod.signet"));
  EXPECT_TRUE(AccessPolicy::Allows(rule, "billing-worker@prod.signet"));
  EXPECT_TRUE(AccessPolicy::Allows(rule, "anyone@test.signet"));
  EXPECT_FALSE(AccessPolicy::Allows(rule, "ops@prod.signet.evil"));
  EXPECT_FALSE(AccessPolicy::Allows(rule, "billing@prod.signet"));
  EXPECT_FALSE(AccessPolicy::Allows(rule, "xops@prod.signet"));
  EXPECT_FALSE(AccessPolicy::Allows(rule, "anyone@test.signet.evil"));
  EXPECT_TRUE(AccessPolicy::Allows({Kind::kAnyAccount}, "anyone@x"));
}

TEST(MatchesPattern, StarsStandForAnyRun) {
  EXPECT_TRUE(MatchesPattern("*", ""));
  EXPECT_TRUE(MatchesPattern("a*b*c", "aXXbYYc"));
  EXPECT_TRUE(MatchesPattern("a*c", "abcbc"));
  EXPECT_FALSE(MatchesPattern("a*c", "abcb"));
  EXPECT_FALSE(MatchesPattern("abc", "ab"));
  EXPECT_FALSE(MatchesPattern("", "a"));
}

}  // namespace
TEST(AccessPolicyTest, PatternsThatCouldNeverMatchAreReported) {
  AccessPolicy good;
  good.Set("/pkg.Svc/Method", {AccessRule::Kind::kOpen})
      .Set("/pkg.Svc/*", {AccessRule::Kind::kOpen});
  EXPECT_TRUE(good.Check().ok());

  for (const char* pattern :
       {"/pkg.Admin/Delete*", "pkg.Billing/*", "/pkg.Ledger/", "/pkg.Svc",
        "/*/Method", "//Method", "/pkg.Svc/a/b", "", "/"}) {
    AccessPolicy policy;
    policy.Set(pattern, {AccessRule::Kind::kOpen});
    absl::Status checked = policy.Check();
    EXPECT_TRUE(absl::IsInvalidArgument(checked)) << pattern;
    EXPECT_TRUE(absl::StrContains(checked.message(), pattern)) << checked;
  }
}

}  // namespace signet::verifier
