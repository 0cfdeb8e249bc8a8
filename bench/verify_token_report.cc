#include "bench/verify_token_report.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace signet::bench {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

template <typename T, typename Field>
double MedianOf(const std::vector<T>& values, Field field) {
  std::vector<double> fields;
  for (const T& value : values) fields.push_back(field(value));
  std::sort(fields.begin(), fields.end());
  return fields.empty() ? 0 : fields[(fields.size() - 1) / 2];
}

// One phase's figures, each the median over the rounds.
struct Summary {
  double calls_per_second;
  double p50_us;
  double p99_us;
  double signetd_cpu_us_per_call;
  double client_cpu_us_per_call;
  // CPU time of both processes, and of every other process, over the
  // machine's CPU time available.
  double busy_fraction;
  double others_fraction;
  double peak_mib;
  // Whether any round's measured period ended early for want of tokens.
  bool supply_ran_out;
};

double PerCall(absl::Duration cpu, const CallLoopResult& load) {
  return load.calls > 0 ? absl::ToDoubleMicroseconds(cpu) / load.calls : 0;
}

Summary Summarize(const std::vector<PhaseMeasurement>& runs, int cores) {
  using M = const PhaseMeasurement&;
  Summary s;
  s.calls_per_second =
      MedianOf(runs, [](M m) { return m.load.CallsPerSecond(); });
  s.p50_us = MedianOf(
      runs, [](M m) { return absl::ToDoubleMicroseconds(m.load.p50_latency); });
  s.p99_us = MedianOf(
      runs, [](M m) { return absl::ToDoubleMicroseconds(m.load.p99_latency); });
  s.signetd_cpu_us_per_call =
      MedianOf(runs, [](M m) { return PerCall(m.signetd_cpu, m.load); });
  s.client_cpu_us_per_call =
      MedianOf(runs, [](M m) { return PerCall(m.client_cpu, m.load); });
  s.busy_fraction = MedianOf(runs, [cores](M m) {
    return absl::FDivDuration(m.signetd_cpu + m.client_cpu,
                              m.load.measured * cores);
  });
  s.others_fraction =
      MedianOf(runs, [cores](M m) { return OthersFraction(m, cores); });
  s.peak_mib = MedianOf(runs, [](M m) { return m.peak_resident_bytes / kMiB; });
  s.supply_ran_out = std::any_of(runs.begin(), runs.end(),
                                 [](M m) { return m.load.supply_ran_out; });
  return s;
}

void PrintTable(const RunFigures& figures) {
  printf("\n%-38s %8s %7s %7s %8s %8s %5s %6s %8s\n", "phase (medians)",
         "calls/s", "p50 us", "p99 us", "signetd", "client", "both", "others",
         "signetd");
  printf("%-38s %8s %7s %7s %8s %8s %5s %6s %8s\n", "", "", "", "", "CPU us/",
         "CPU us/", "CPU", "CPU", "peak RSS");
  printf("%-38s %8s %7s %7s %8s %8s %5s %6s %8s\n", "", "", "", "", "call",
         "call", "busy", "busy", "MiB");
  for (const auto& [phase, runs] : figures.phases) {
    Summary s = Summarize(runs, figures.cores);
    printf("%-38s %8.0f %7.0f %7.0f %8.1f %8.1f %4.0f%% %5.0f%% %8.1f%s\n",
           PhaseName(phase, figures.repeated_tokens).c_str(),
           s.calls_per_second, s.p50_us, s.p99_us, s.signetd_cpu_us_per_call,
           s.client_cpu_us_per_call, 100 * s.busy_fraction,
           100 * s.others_fraction, s.peak_mib,
           s.supply_ran_out ? "  (tokens ran out: period cut short)" : "");
  }
  printf(
      "(busy: share of the machine's %d CPUs over the measured period; "
      "\"others\" is every other process, which makes a figure suspect)\n",
      figures.cores);
  printf(
      "\nsignetd VmRSS (its own process): idle %.1f MiB after start and the "
      "checking calls; peak under each load above; %.1f MiB after the last "
      "load\n",
      figures.idle_resident_bytes / kMiB, figures.final_resident_bytes / kMiB);
}

void PrintRounds(const RunFigures& figures) {
  printf("\ncalls/s in each round:\n");
  for (const auto& [phase, runs] : figures.phases) {
    std::vector<std::string> rates;
    for (const PhaseMeasurement& run : runs) {
      rates.push_back(
          absl::StrFormat("%.0f (%.1f s)", run.load.CallsPerSecond(),
                          absl::ToDoubleSeconds(run.load.measured)));
    }
    printf("  %-40s %s\n", PhaseName(phase, figures.repeated_tokens).c_str(),
           absl::StrJoin(rates, "  ").c_str());
  }
}

const std::vector<PhaseMeasurement>* Find(const RunFigures& figures,
                                          Workload workload,
                                          std::optional<jwt::Algorithm> alg) {
  auto found = figures.phases.find(Phase{workload, alg});
  return found == figures.phases.end() ? nullptr : &found->second;
}

// Prints "label  measured / baseline = ratio (goal ...)"; returns whether
// the goal holds (true without one).
bool PrintRatio(const std::string& label, double measured, double baseline,
                std::optional<double> at_least) {
  double ratio = baseline > 0 ? measured / baseline : 0;
  printf("  %-52s %9.0f / %9.0f = %5.2f", label.c_str(), measured, baseline,
         ratio);
  if (!at_least.has_value()) {
    printf("\n");
    return true;
  }
  bool met = ratio >= *at_least;
  printf("  (goal >= %.2f: %s)\n", *at_least, met ? "met" : "MISSED");
  return met;
}

// The most VerifyToken of fresh tokens can do on this machine: the no-op
// call's time, plus one bare signature verification per token at the rate
// all cores together verify. In the no-op both processes keep every core
// busy (see the table's CPU column), so its time per call is the whole
// machine's; one more verification per call adds what it costs the whole
// machine, which is the bare time on all cores at once, not on one.
double CeilingCallsPerSecond(double no_op_calls_per_second,
                             absl::Duration bare_all_cores) {
  return 1.0 /
         (1.0 / no_op_calls_per_second + absl::ToDoubleSeconds(bare_all_cores));
}

// The fastest bare verification over the rounds, since other processes
// only ever slow it down; `others` is the most they took meanwhile.
BareVerifyTiming FloorOf(const std::vector<BareVerifyMeasurement>& rounds,
                         double& others) {
  BareVerifyTiming floor = rounds.front().timing;
  for (const BareVerifyMeasurement& round : rounds) {
    floor.one_core = std::min(floor.one_core, round.timing.one_core);
    floor.all_cores = std::min(floor.all_cores, round.timing.all_cores);
    others = std::max(others, round.others_fraction);
  }
  return floor;
}

bool PrintAlgorithmRatios(const RunFigures& figures, jwt::Algorithm algorithm,
                          const Summary& no_op, const Goals& goals) {
  std::string name(jwt::AlgorithmName(algorithm));
  bool met = true;
  if (const auto* repeated =
          Find(figures, Workload::kRepeatedTokens, algorithm)) {
    Summary s = Summarize(*repeated, figures.cores);
    met &= PrintRatio(absl::StrCat("VerifyToken ", name, " repeated / no-op"),
                      s.calls_per_second, no_op.calls_per_second,
                      goals.repeated_over_no_op);
  }
  const auto* fresh = Find(figures, Workload::kFreshTokens, algorithm);
  auto bare = figures.bare_verify.find(algorithm);
  if (fresh == nullptr || bare == figures.bare_verify.end()) return met;

  double others = 0;
  BareVerifyTiming floor = FloorOf(bare->second, others);
  double ceiling =
      CeilingCallsPerSecond(no_op.calls_per_second, floor.all_cores);
  printf(
      "  %s ceiling = 1 / (no-op %.2f us/call + bare verify %.2f us/token on "
      "all %d cores) = %.0f calls/s\n"
      "      [bare verify on one core: %.2f us CPU; other processes took up "
      "to %.0f%% of the CPUs while it was timed]\n",
      name.c_str(), 1e6 / no_op.calls_per_second,
      absl::ToDoubleMicroseconds(floor.all_cores), figures.cores, ceiling,
      absl::ToDoubleMicroseconds(floor.one_core), 100 * others);
  Summary s = Summarize(*fresh, figures.cores);
  met &= PrintRatio(absl::StrCat("VerifyToken ", name, " fresh / ceiling"),
                    s.calls_per_second, ceiling, goals.fresh_over_ceiling);
  PrintRatio(absl::StrCat("VerifyToken ", name, " fresh / no-op"),
             s.calls_per_second, no_op.calls_per_second, std::nullopt);
  return met;
}

bool PrintRatios(const RunFigures& figures, const Goals& goals) {
  printf("\nratios of the medians (throughput, calls/s):\n");
  const auto* no_op_runs = Find(figures, Workload::kNoOp, std::nullopt);
  if (no_op_runs == nullptr) {
    printf("  none: the no-op was not measured\n");
    return true;
  }
  Summary no_op = Summarize(*no_op_runs, figures.cores);
  if (const auto* with_token =
          Find(figures, Workload::kNoOpWithToken, std::nullopt)) {
    PrintRatio("Health/Check with the caller's token / no-op",
               Summarize(*with_token, figures.cores).calls_per_second,
               no_op.calls_per_second, std::nullopt);
  }
  bool met = true;
  for (const auto& [algorithm, timings] : figures.bare_verify) {
    met &= PrintAlgorithmRatios(figures, algorithm, no_op, goals);
  }
  return met;
}

}  // namespace

double OthersFraction(const PhaseMeasurement& measurement, int cores) {
  const PhaseMeasurement& m = measurement;
  absl::Duration others = m.machine_busy - m.signetd_cpu - m.client_cpu;
  return absl::FDivDuration(std::max(others, absl::ZeroDuration()),
                            m.load.measured * cores);
}

std::string PhaseName(const Phase& phase, int repeated_tokens) {
  std::string algorithm =
      phase.algorithm ? std::string(jwt::AlgorithmName(*phase.algorithm)) : "";
  switch (phase.workload) {
    case Workload::kNoOp:
      return "Health/Check, no token (no-op)";
    case Workload::kNoOpWithToken:
      return "Health/Check, caller's token";
    case Workload::kRepeatedTokens:
      return absl::StrCat("VerifyToken ", algorithm, ", ", repeated_tokens,
                          " tokens repeated");
    case Workload::kFreshTokens:
      return absl::StrCat("VerifyToken ", algorithm, ", every token fresh");
  }
  return "unknown";
}

bool PrintReport(const RunFigures& figures, const Goals& goals) {
  PrintTable(figures);
  PrintRounds(figures);
  bool met = PrintRatios(figures, goals);
  fflush(stdout);
  return met;
}

}  // namespace signet::bench
