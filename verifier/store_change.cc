#include "verifier/store_change.h"

#include "absl/strings/match.h"

namespace signet::verifier {

void ApplyChange(const StoreChange& change, CachedKeySource& keys,
                 CallVerifier& callers) {
  if (change.kind == "key_insert") {
    // Nothing cached can be stale; only an unknown id is forgotten.
    keys.KeyCreated(change.key_id);
  } else if (absl::StartsWith(change.kind, "key_")) {
    keys.InvalidateKey(change.key_id);
  } else if (absl::StartsWith(change.kind, "account_")) {
    keys.InvalidateAccount(change.account_email);
  }
  ForgetChanged(change, callers);
}

void ForgetChanged(const StoreChange& change, CallVerifier& callers) {
  if (change.kind == "key_insert") return;
  if (absl::StartsWith(change.kind, "key_")) {
    callers.ForgetKey(change.key_id);
  } else if (absl::StartsWith(change.kind, "account_")) {
    callers.ForgetAccount(change.account_email);
  }
}

void ApplyReset(CachedKeySource& keys, CallVerifier& callers) {
  keys.RevalidateAll();
  callers.ForgetAll();
}

}  // namespace signet::verifier
