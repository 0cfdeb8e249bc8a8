#ifndef SIGNET_BENCH_LATENCY_H_
#define SIGNET_BENCH_LATENCY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace signet::bench {

// The nearest-rank quantile `p` (0 to 1) of `samples`; samples must not be
// empty.
absl::Duration Percentile(std::vector<absl::Duration> samples, double p);

// "1234 us" and "12.3 ms", for tables.
std::string Micros(absl::Duration duration);
std::string Millis(absl::Duration duration);

// The main() of a benchmark: parses the flags, runs `run`, and prints its
// error, if any, after `name`. Returns the exit code.
int BenchmarkMain(const char* name, int argc, char** argv,
                  absl::Status (*run)());

}  // namespace signet::bench

#endif  // SIGNET_BENCH_LATENCY_H_
