#ifndef SIGNET_SERVER_AUTHORIZER_H_
#define SIGNET_SERVER_AUTHORIZER_H_

#include <string>
#include <vector>

#include "db/store.h"

namespace signet::server {

// What an AccountService call does, for deciding who may do it.
enum class Action {
  kRead,           // get and list accounts and keys
  kCreateAccount,  // global scope only
  kWriteAccount,   // update, disable, enable, delete an account
  kWriteKey,       // create, upload, disable, enable, delete a key
  kAdminister,     // grant and revoke roles, read the audit log
};

// Whether bindings allow `action` on `target_account_id` (empty: on no one
// account, which only a global binding covers):
//   admin          everything (its bindings are global only)
//   account_admin  kRead, kCreateAccount, kWriteAccount
//   key_admin      kRead, kWriteKey
//   viewer         kRead
// A binding scoped to one account covers that account only, and never
// kCreateAccount or kAdminister.
bool Allows(const std::vector<db::BindingRow>& bindings, Action action,
            const std::string& target_account_id);

bool IsGlobalAdmin(const std::vector<db::BindingRow>& bindings);

}  // namespace signet::server

#endif  // SIGNET_SERVER_AUTHORIZER_H_
