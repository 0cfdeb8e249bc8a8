#ifndef SIGNET_BENCH_RATIO_REPORTER_H_
#define SIGNET_BENCH_RATIO_REPORTER_H_

#include <map>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"

namespace signet::bench {

// Prints Google Benchmark's usual table, and keeps each benchmark's CPU
// time per iteration (the median when repeated) so that main() can print
// ratios between benchmarks of the same run.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override;

  // CPU time per iteration in nanoseconds, or 0 if `name` did not run.
  double NanosecondsOf(const std::string& name) const;

  // Prints "label: numerator / denominator = ratio (goal ...)" and returns
  // whether the goal holds; `at_most` says which side of `goal` is good.
  bool PrintRatio(const std::string& label, const std::string& numerator,
                  const std::string& denominator, double goal,
                  bool at_most) const;

 private:
  std::map<std::string, double> nanoseconds_;
  std::map<std::string, bool> from_median_;
};

}  // namespace signet::bench

#endif  // SIGNET_BENCH_RATIO_REPORTER_H_
