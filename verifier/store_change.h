#ifndef SIGNET_VERIFIER_STORE_CHANGE_H_
#define SIGNET_VERIFIER_STORE_CHANGE_H_

#include <string>

#include "verifier/cached_key_source.h"
#include "verifier/call_verifier.h"

namespace signet::verifier {

// One change to what the store holds: a key, an account or a role binding
// was inserted, updated or deleted. Heard by LISTEN from PostgreSQL or
// through signetd's WatchKeys.
struct StoreChange {
  std::string kind;           // key_update, account_delete, binding_insert...
  std::string account_email;  // the account it concerns
  std::string key_id;         // for key changes only
};

// Drops what a verifier's caches hold about the key or account that
// changed, and forgets that a created key's id was unknown.
void ApplyChange(const StoreChange& change, CachedKeySource& keys,
                 CallVerifier& callers);

// Forgets the remembered tokens a change concerns: those of a changed or
// deleted key, or of a changed or deleted account. A key's creation
// concerns none.
void ForgetChanged(const StoreChange& change, CallVerifier& callers);

// After changes may have been missed: every cached key is revalidated
// before its next use, and every remembered token verified again.
void ApplyReset(CachedKeySource& keys, CallVerifier& callers);

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_STORE_CHANGE_H_
