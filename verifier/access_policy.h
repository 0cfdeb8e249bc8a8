#ifndef SIGNET_VERIFIER_ACCESS_POLICY_H_
#define SIGNET_VERIFIER_ACCESS_POLICY_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace signet::verifier {

// Who may call a method.
struct AccessRule {
  enum class Kind {
    kOpen,        // anyone, with or without a token
    kAnyAccount,  // any account with a valid token
    kAccounts,    // only the accounts listed
  };

  Kind kind = Kind::kAnyAccount;
  // For kAccounts: account emails, exact ("billing@prod.signet") or with
  // '*' standing for any run of characters ("*@prod.signet",
  // "billing-*@prod.signet").
  std::vector<std::string> accounts;
};

// Rules by method, by service, and a default, as a gRPC service states
// them when it installs the verifier:
//
//   AccessPolicy policy;  // default: any account
//   policy.Set("/grpc.health.v1.Health/*", {AccessRule::Kind::kOpen});
//   policy.Set("/billing.Ledger/Write",
//              {AccessRule::Kind::kAccounts, {"billing-*@prod.signet"}});
//
// Immutable once the server starts; reads are thread-safe.
class AccessPolicy {
 public:
  // `pattern` is a full method ("/pkg.Service/Method") or a whole service
  // ("/pkg.Service/*"). Anything else could never match a call, and is
  // reported by Check().
  AccessPolicy& Set(absl::string_view pattern, AccessRule rule);
  AccessPolicy& SetDefault(AccessRule rule);

  // The rule of the method's own entry, else of its service's, else the
  // default.
  const AccessRule& RuleFor(absl::string_view method) const;

  // INVALID_ARGUMENT naming every pattern given to Set that is not a
  // method or a service, since its rule would silently never apply.
  absl::Status Check() const;

  // Whether `rule` lets `account_email` call; kOpen and kAnyAccount let
  // every account.
  static bool Allows(const AccessRule& rule, absl::string_view account_email);

 private:
  absl::flat_hash_map<std::string, AccessRule> rules_;
  std::vector<std::string> invalid_patterns_;
  AccessRule default_;
};

// Whether `text` matches `pattern`, where '*' stands for any run of
// characters and everything else for itself.
bool MatchesPattern(absl::string_view pattern, absl::string_view text);

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_ACCESS_POLICY_H_
