#include "bench/latency.h"

#include <algorithm>
#include <cstdio>

#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"

namespace signet::bench {

absl::Duration Percentile(std::vector<absl::Duration> samples, double p) {
  std::sort(samples.begin(), samples.end());
  return samples[static_cast<size_t>(p * (samples.size() - 1) + 0.5)];
}

std::string Micros(absl::Duration duration) {
  return absl::StrFormat("%.0f us", absl::ToDoubleMicroseconds(duration));
}

std::string Millis(absl::Duration duration) {
  return absl::StrFormat("%.1f ms", absl::ToDoubleMilliseconds(duration));
}

int BenchmarkMain(const char* name, int argc, char** argv,
                  absl::Status (*run)()) {
  absl::ParseCommandLine(argc, argv);
  absl::Status status = run();
  if (!status.ok()) {
    fprintf(stderr, "%s: %s\n", name, status.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace signet::bench
