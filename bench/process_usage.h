#ifndef SIGNET_BENCH_PROCESS_USAGE_H_
#define SIGNET_BENCH_PROCESS_USAGE_H_

#include <sys/types.h>

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace signet::bench {

// The resident memory of process `pid` (VmRSS in /proc/<pid>/status), in
// bytes. NOT_FOUND when the process is gone, INTERNAL when the file has no
// such line.
absl::StatusOr<int64_t> ResidentBytes(pid_t pid);

// The CPU time process `pid` has used so far, user and system, from
// /proc/<pid>/stat. Its resolution is the kernel's clock tick (10 ms), so
// compare readings taken seconds apart.
absl::StatusOr<absl::Duration> CpuTimeUsed(pid_t pid);

// The CPU time every CPU of the machine has spent busy so far (all but
// idle and I/O wait, from /proc/stat), summed over the CPUs. Less a
// process's own CPU time, it tells what other processes took.
absl::StatusOr<absl::Duration> MachineBusyTime();

}  // namespace signet::bench

#endif  // SIGNET_BENCH_PROCESS_USAGE_H_
