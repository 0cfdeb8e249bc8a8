#include "verifier/store_change.h"

#include "absl/strings/match.h"

namespace signet::verifier {

void ApplyChange(const StoreChange& change, CachedKeySource& keys,
                 CallVerifier& callers) {
  if (change.kind == "key_insert") {
    // Nothing cached can be stale, and no token can be remembered for a
    // key that did not exist.
    keys.KeyCreated(change.key_id);
  } else if (absl::StartsWith(change.kind, "key_")) {
    keys.InvalidateKey(change.key_id);
    callers.ForgetKey(change.key_id);
  } else if (absl::StartsWith(change.kind, "account_")) {
    keys.InvalidateAccount(change.account_email);
    callers.ForgetAccount(change.account_email);
  }
}

void ApplyReset(CachedKeySource& keys, CallVerifier& callers) {
  keys.RevalidateAll();
  callers.ForgetAll();
}

}  // namespace signet::verifier
