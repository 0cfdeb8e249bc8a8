#include "server/authorizer.h"

namespace signet::server {
namespace {

bool RoleGrants(const std::string& role, Action action) {
  if (role == "admin") return true;
  switch (action) {
    case Action::kRead:
      return true;  // every role reads what it covers
    case Action::kCreateAccount:
    case Action::kWriteAccount:
      return role == "account_admin";
    case Action::kWriteKey:
      return role == "key_admin";
    case Action::kAdminister:
      return false;
  }
  return false;
}

bool ScopeCovers(const db::BindingRow& binding, Action action,
                 const std::string& target_account_id) {
  if (!binding.scope_account_id.has_value()) return true;
  if (action == Action::kCreateAccount || action == Action::kAdminister) {
    return false;
  }
  return !target_account_id.empty() &&
         *binding.scope_account_id == target_account_id;
}

}  // namespace

bool Allows(const std::vector<db::BindingRow>& bindings, Action action,
            const std::string& target_account_id) {
  for (const db::BindingRow& binding : bindings) {
    if (RoleGrants(binding.role, action) &&
        ScopeCovers(binding, action, target_account_id)) {
      return true;
    }
  }
  return false;
}

bool IsGlobalAdmin(const std::vector<db::BindingRow>& bindings) {
  for (const db::BindingRow& binding : bindings) {
    if (binding.role == "admin" && !binding.scope_account_id.has_value()) {
      return true;
    }
  }
  return false;
}

}  // namespace signet::server
