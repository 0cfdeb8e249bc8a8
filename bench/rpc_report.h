#ifndef SIGNET_BENCH_RPC_REPORT_H_
#define SIGNET_BENCH_RPC_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bench/greeter_under_test.h"
#include "bench/unary_call_loop.h"

namespace signet::bench {

enum class Transport {
  kTcpTls,     // 127.0.0.1 TCP with TLS
  kUnixLocal,  // a unix socket with gRPC's local credentials
};

// "tcp+tls", "unix+local".
absl::string_view TransportName(Transport transport);

// One server mode measured once.
struct Measurement {
  CallLoopResult load;
  // The server's: after it started and answered the checking calls, and
  // the highest sampled during the measured period.
  int64_t idle_resident_bytes = 0;
  int64_t peak_resident_bytes = 0;
  // CPU time used during the measured period.
  absl::Duration server_cpu;
  absl::Duration client_cpu;
  // CPU time other processes on the machine took meanwhile: anything but
  // a small fraction of a CPU means the figures are disturbed.
  absl::Duration other_cpu;
  // The server verifier's decision counts as it printed them; empty for
  // a plain server.
  std::string decisions;
};

// Every measurement of a run by transport and mode, in the order of rounds.
using Results =
    std::map<std::pair<Transport, ServerMode>, std::vector<Measurement>>;

struct Goals {
  double min_throughput_ratio = 0.9;  // protected / plain
  double max_p99_ratio = 1.1;         // protected / plain
};

// Prints the medians over rounds of every (transport, mode), each round's
// throughput and the verifier's decisions, then per transport the ratios
// non-blocking / plain (against `goals`), blocking / plain, blocking /
// non-blocking, noop / plain and non-blocking / noop. Returns whether the
// non-blocking verifier met the goals on every transport where both it and
// plain were measured.
bool PrintReport(const Results& results, const Goals& goals);

}  // namespace signet::bench

#endif  // SIGNET_BENCH_RPC_REPORT_H_
