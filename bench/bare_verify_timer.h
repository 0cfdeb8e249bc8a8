#ifndef SIGNET_BENCH_BARE_VERIFY_TIMER_H_
#define SIGNET_BENCH_BARE_VERIFY_TIMER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "jwt/algorithm.h"
#include "jwt/public_key.h"

namespace signet::bench {

// What verifying a token's signature costs at the least: EVP_DigestVerifyInit
// plus EVP_DigestVerify of its signed bytes with a key parsed once (ES256
// signatures converted to DER beforehand), as token_verify_bench's
// BM_BareVerify measures it. No JSON, no key lookup, no claims.
struct BareVerifyTiming {
  // CPU time of one verification on one core, the other cores idle.
  absl::Duration one_core;
  // Wall time per verification while every core this process may run on
  // verifies at once: what one more verification per call costs a machine
  // whose cores are all busy. Near one_core / cores on separate cores;
  // more where cores share execution units. The fastest of several short
  // slices, since another process taking a core for a while can only
  // slow a slice down.
  absl::Duration all_cores;
  int cores = 1;
};

// The cores this process may run on (its CPU affinity).
int UsableCores();

// Times bare verification of `tokens`, cycled, with `key`, for about
// `period` on one core and then `period` on all cores (in five slices).
// INVALID_ARGUMENT for no tokens or a token that is not a compact JWS; INTERNAL
// when a signature does not verify, since that would time a failure path.
absl::StatusOr<BareVerifyTiming> TimeBareVerify(
    jwt::Algorithm algorithm, const jwt::PublicKey& key,
    const std::vector<std::string>& tokens, absl::Duration period);

}  // namespace signet::bench

#endif  // SIGNET_BENCH_BARE_VERIFY_TIMER_H_
