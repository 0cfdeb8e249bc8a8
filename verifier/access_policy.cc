#include "verifier/access_policy.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace signet::verifier {

bool MatchesPattern(absl::string_view pattern, absl::string_view text) {
  // Greedy matching that backtracks to the last '*': at worst the product
  // of the two lengths, and both are short (patterns are the service's own,
  // texts verified account emails).
  size_t p = 0;
  size_t t = 0;
  size_t star = absl::string_view::npos;
  size_t resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != absl::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

// "/pkg.Service/Method" or "/pkg.Service/*": a leading slash, a service
// and a method (or '*') that are not empty, and no other slash or '*'.
bool IsMethodPattern(absl::string_view pattern) {
  if (pattern.size() < 4 || pattern[0] != '/') return false;
  size_t slash = pattern.find('/', 1);
  if (slash == absl::string_view::npos || slash == 1 ||
      slash == pattern.size() - 1) {
    return false;
  }
  absl::string_view service = pattern.substr(1, slash - 1);
  absl::string_view method = pattern.substr(slash + 1);
  if (absl::StrContains(service, '*') || absl::StrContains(method, '/')) {
    return false;
  }
  return method == "*" || !absl::StrContains(method, '*');
}

}  // namespace

AccessPolicy& AccessPolicy::Set(absl::string_view pattern, AccessRule rule) {
  if (!IsMethodPattern(pattern)) invalid_patterns_.emplace_back(pattern);
  rules_[pattern] = std::move(rule);
  return *this;
}

absl::Status AccessPolicy::Check() const {
  if (invalid_patterns_.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "access rules for \"", absl::StrJoin(invalid_patterns_, "\", \""),
      "\" would never apply: a rule names \"/pkg.Service/Method\" or "
      "\"/pkg.Service/*\""));
}

AccessPolicy& AccessPolicy::SetDefault(AccessRule rule) {
  default_ = std::move(rule);
  return *this;
}

const AccessRule& AccessPolicy::RuleFor(absl::string_view method) const {
  auto exact = rules_.find(method);
  if (exact != rules_.end()) return exact->second;
  size_t last_slash = method.rfind('/');
  if (last_slash != absl::string_view::npos && last_slash > 0) {
    auto service =
        rules_.find(absl::StrCat(method.substr(0, last_slash), "/*"));
    if (service != rules_.end()) return service->second;
  }
  return default_;
}

bool AccessPolicy::Allows(const AccessRule& rule,
                          absl::string_view account_email) {
  if (rule.kind != AccessRule::Kind::kAccounts) return true;
  for (const std::string& pattern : rule.accounts) {
    if (MatchesPattern(pattern, account_email)) return true;
  }
  return false;
}

}  // namespace signet::verifier
