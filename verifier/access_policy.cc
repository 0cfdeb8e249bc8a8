#include "verifier/access_policy.h"

#include "absl/strings/str_cat.h"

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

AccessPolicy& AccessPolicy::Set(absl::string_view pattern, AccessRule rule) {
  rules_[pattern] = std::move(rule);
  return *this;
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
