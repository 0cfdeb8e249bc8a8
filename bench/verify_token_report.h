#ifndef SIGNET_BENCH_VERIFY_TOKEN_REPORT_H_
#define SIGNET_BENCH_VERIFY_TOKEN_REPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/time/time.h"
#include "bench/bare_verify_timer.h"
#include "bench/unary_call_loop.h"
#include "jwt/algorithm.h"

namespace signet::bench {

enum class Workload {
  // grpc.health.v1.Health/Check without a token: the no-op baseline.
  kNoOp,
  // The same with the caller's token, which signetd checks (from memory
  // after the first call) although the method is open.
  kNoOpWithToken,
  // VerifyToken over a few tokens, each verified many times.
  kRepeatedTokens,
  // VerifyToken with a token never sent before on every call.
  kFreshTokens,
};

// One load the benchmark measures.
struct Phase {
  Workload workload;
  // The verified tokens' algorithm, for VerifyToken workloads.
  std::optional<jwt::Algorithm> algorithm;

  friend bool operator<(const Phase& a, const Phase& b) {
    return std::tie(a.workload, a.algorithm) <
           std::tie(b.workload, b.algorithm);
  }
};

struct PhaseMeasurement {
  CallLoopResult load;
  // signetd's highest VmRSS sampled during the measured period.
  int64_t peak_resident_bytes = 0;
  // CPU time used during the measured period.
  absl::Duration signetd_cpu;
  absl::Duration client_cpu;
  // CPU time the machine spent busy during the measured period, all
  // processes: what neither signetd nor the client used was taken by
  // others, and makes the period's figures suspect.
  absl::Duration machine_busy;
};

struct BareVerifyMeasurement {
  BareVerifyTiming timing;
  // The share of the machine's CPU time that other processes took while
  // it was timed.
  double others_fraction = 0;
};

// Everything a run measured.
struct RunFigures {
  int cores = 1;
  int repeated_tokens = 0;
  // signetd's VmRSS once it served and answered the checking calls, and
  // after the last measured period.
  int64_t idle_resident_bytes = 0;
  int64_t final_resident_bytes = 0;
  // One measurement per round.
  std::map<Phase, std::vector<PhaseMeasurement>> phases;
  // One per round.
  std::map<jwt::Algorithm, std::vector<BareVerifyMeasurement>> bare_verify;
};

struct Goals {
  // VerifyToken with repeated tokens / the no-op, in calls per second.
  double repeated_over_no_op = 0.8;
  // VerifyToken with fresh tokens / the crypto-bound ceiling.
  double fresh_over_ceiling = 0.9;
};

// The share of the machine's CPU time (`cores` CPUs over the measured
// period) that neither signetd nor the client used: other processes'.
double OthersFraction(const PhaseMeasurement& measurement, int cores);

// "Health/Check, no token (no-op)", "VerifyToken RS256, fresh tokens", ...
std::string PhaseName(const Phase& phase, int repeated_tokens);

// Prints the medians over rounds of every phase, signetd's memory, the
// bare verification times and the ceilings they give, and the ratios with
// their goals. Returns whether every goal that could be computed was met.
bool PrintReport(const RunFigures& figures, const Goals& goals);

}  // namespace signet::bench

#endif  // SIGNET_BENCH_VERIFY_TOKEN_REPORT_H_
