#include "bench/ratio_reporter.h"

#include <cstdio>

namespace signet::bench {

void RatioReporter::ReportRuns(const std::vector<Run>& runs) {
  for (const Run& run : runs) {
    std::string name = run.run_name.function_name;
    if (!run.run_name.args.empty()) name += "/" + run.run_name.args;
    double nanoseconds =
        run.GetAdjustedCPUTime() *
        benchmark::GetTimeUnitMultiplier(benchmark::kNanosecond) /
        benchmark::GetTimeUnitMultiplier(run.time_unit);
    if (run.run_type == Run::RT_Aggregate) {
      if (run.aggregate_name != "median") continue;
      nanoseconds_[name] = nanoseconds;
      from_median_[name] = true;
    } else if (!from_median_[name]) {
      nanoseconds_[name] = nanoseconds;
    }
  }
  ConsoleReporter::ReportRuns(runs);
}

double RatioReporter::NanosecondsOf(const std::string& name) const {
  auto found = nanoseconds_.find(name);
  return found == nanoseconds_.end() ? 0 : found->second;
}

bool RatioReporter::PrintRatio(const std::string& label,
                               const std::string& numerator,
                               const std::string& denominator, double goal,
                               bool at_most) const {
  double top = NanosecondsOf(numerator);
  double bottom = NanosecondsOf(denominator);
  if (top == 0 || bottom == 0) {
    printf("%-44s not measured (filtered out)\n", label.c_str());
    return true;
  }
  double ratio = top / bottom;
  bool met = at_most ? ratio <= goal : ratio >= goal;
  printf("%-44s %9.0f ns / %9.0f ns = %6.3f  (goal %s %.2f: %s)\n",
         label.c_str(), top, bottom, ratio, at_most ? "<=" : ">=", goal,
         met ? "met" : "MISSED");
  return met;
}

}  // namespace signet::bench
