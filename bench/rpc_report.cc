#include "bench/rpc_report.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace signet::bench {
namespace {

// One (transport, mode)'s figures: each the median over the rounds.
struct Summary {
  double calls_per_second;
  double p50_us;
  double p99_us;
  double server_cpu_us_per_call;
  double client_cpu_us_per_call;
  double idle_mib;
  double peak_mib;
  double other_cpus;  // other processes' CPU time / measured time
};

template <typename Field>
double MedianOf(const std::vector<Measurement>& runs, Field field) {
  std::vector<double> values;
  for (const Measurement& run : runs) values.push_back(field(run));
  std::sort(values.begin(), values.end());
  return values[(values.size() - 1) / 2];
}

double MicrosecondsPerCall(absl::Duration cpu, const CallLoopResult& load) {
  return load.calls > 0 ? absl::ToDoubleMicroseconds(cpu) / load.calls : 0;
}

Summary Summarize(const std::vector<Measurement>& runs) {
  using M = const Measurement&;
  constexpr double kMiB = 1024.0 * 1024.0;
  Summary summary;
  summary.calls_per_second =
      MedianOf(runs, [](M m) { return m.load.CallsPerSecond(); });
  summary.p50_us = MedianOf(
      runs, [](M m) { return absl::ToDoubleMicroseconds(m.load.p50_latency); });
  summary.p99_us = MedianOf(
      runs, [](M m) { return absl::ToDoubleMicroseconds(m.load.p99_latency); });
  summary.server_cpu_us_per_call = MedianOf(
      runs, [](M m) { return MicrosecondsPerCall(m.server_cpu, m.load); });
  summary.client_cpu_us_per_call = MedianOf(
      runs, [](M m) { return MicrosecondsPerCall(m.client_cpu, m.load); });
  summary.idle_mib =
      MedianOf(runs, [](M m) { return m.idle_resident_bytes / kMiB; });
  summary.peak_mib =
      MedianOf(runs, [](M m) { return m.peak_resident_bytes / kMiB; });
  summary.other_cpus = MedianOf(runs, [](M m) {
    return absl::FDivDuration(m.other_cpu, m.load.measured);
  });
  return summary;
}

std::string Names(Transport transport, ServerMode mode) {
  return absl::StrFormat("%-11s %-12s", TransportName(transport),
                         ServerModeName(mode));
}

void PrintTable(const Results& results) {
  printf("\n%-24s %9s %8s %8s %11s %11s %9s %9s\n", "transport  mode",
         "calls/s", "p50 us", "p99 us", "server CPU", "client CPU", "RSS idle",
         "RSS load");
  printf("%-24s %9s %8s %8s %11s %11s %9s %9s\n", "", "", "", "", "us/call",
         "us/call", "MiB", "MiB");
  for (const auto& [key, runs] : results) {
    Summary s = Summarize(runs);
    printf("%s %9.0f %8.0f %8.0f %11.1f %11.1f %9.1f %9.1f %7.2f\n",
           Names(key.first, key.second).c_str(), s.calls_per_second, s.p50_us,
           s.p99_us, s.server_cpu_us_per_call, s.client_cpu_us_per_call,
           s.idle_mib, s.peak_mib, s.other_cpus);
  }
}

// Other processes' CPU time above this share of a CPU, in any mode's
// median, marks the run as disturbed.
constexpr double kDisturbingCpus = 0.1;

void PrintDisturbance(const Results& results) {
  double worst = 0;
  for (const auto& entry : results) {
    worst = std::max(worst, Summarize(entry.second).other_cpus);
  }
  if (worst <= kDisturbingCpus) return;
  printf(
      "\nother processes took up to %.2f CPUs while calls were measured "
      "(column \"other\"): these figures are disturbed; compare ratios of "
      "rounds run close together, or run again on a quiet machine\n",
      worst);
}

void PrintRounds(const Results& results) {
  printf("\ncalls/s in each round; the last round's verifier decisions:\n");
  for (const auto& [key, runs] : results) {
    std::vector<std::string> rates;
    for (const Measurement& run : runs) {
      rates.push_back(absl::StrFormat("%.0f", run.load.CallsPerSecond()));
    }
    const std::string& decisions = runs.back().decisions;
    printf("  %s %s  %s\n", Names(key.first, key.second).c_str(),
           absl::StrJoin(rates, " ").c_str(),
           decisions.empty() ? "(no verifier)" : decisions.c_str());
  }
}

// Prints `mode` / `baseline` for throughput and p99, checked against
// `goals` when given; returns whether they are met (true without goals or
// without both measurements).
bool PrintRatio(const Results& results, Transport transport, ServerMode mode,
                ServerMode baseline, const Goals* goals) {
  auto measured = results.find({transport, mode});
  auto base = results.find({transport, baseline});
  if (measured == results.end() || base == results.end()) return true;

  Summary m = Summarize(measured->second);
  Summary b = Summarize(base->second);
  double throughput = m.calls_per_second / b.calls_per_second;
  double p99 = m.p99_us / b.p99_us;
  printf("  %s / %-12s throughput %.2f  p99 %.2f",
         Names(transport, mode).c_str(),
         std::string(ServerModeName(baseline)).c_str(), throughput, p99);
  if (goals == nullptr) {
    printf("\n");
    return true;
  }
  bool met =
      throughput >= goals->min_throughput_ratio && p99 <= goals->max_p99_ratio;
  printf("  (goals >= %.2f, <= %.2f: %s)\n", goals->min_throughput_ratio,
         goals->max_p99_ratio, met ? "met" : "MISSED");
  return met;
}

}  // namespace

absl::string_view TransportName(Transport transport) {
  return transport == Transport::kTcpTls ? "tcp+tls" : "unix+local";
}

bool PrintReport(const Results& results, const Goals& goals) {
  PrintTable(results);
  PrintDisturbance(results);
  PrintRounds(results);

  std::set<Transport> transports;
  for (const auto& entry : results) transports.insert(entry.first.first);
  printf("\nratios of the medians:\n");
  bool met = true;
  for (Transport transport : transports) {
    met &= PrintRatio(results, transport, ServerMode::kNonBlocking,
                      ServerMode::kPlain, &goals);
    PrintRatio(results, transport, ServerMode::kBlocking, ServerMode::kPlain,
               nullptr);
    PrintRatio(results, transport, ServerMode::kBlocking,
               ServerMode::kNonBlocking, nullptr);
    // gRPC's share (a token on the wire, call credentials, a processor that
    // does nothing) and the verifier's own share of the cost.
    PrintRatio(results, transport, ServerMode::kNoOpProcessor,
               ServerMode::kPlain, nullptr);
    PrintRatio(results, transport, ServerMode::kNonBlocking,
               ServerMode::kNoOpProcessor, nullptr);
  }
  fflush(stdout);
  return met;
}

}  // namespace signet::bench
