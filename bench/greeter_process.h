#ifndef SIGNET_BENCH_GREETER_PROCESS_H_
#define SIGNET_BENCH_GREETER_PROCESS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "bench/greeter_under_test.h"
#include "tests/subprocess.h"

namespace signet::bench {

// The greeter under test runs in a child process, so that its memory and
// CPU time are its own: this same binary, started again with the server
// role's flags (--serve=MODE and the rest of GreeterServerConfig).

// Starts the child and waits until it serves. The errors of
// testing::Subprocess, with what the child printed.
absl::StatusOr<std::unique_ptr<testing::Subprocess>> StartGreeterProcess(
    const GreeterServerConfig& config);

// Stops the child with SIGTERM and returns its verifier's decision counts
// as it printed them ("allowed=N, ..."), empty for a plain server. INTERNAL
// with its output when it exits with an error.
absl::StatusOr<std::string> StopGreeterProcess(testing::Subprocess& server);

// Whether this process was started as the greeter under test.
bool IsGreeterProcess();

// In the child: serves as the flags say until SIGTERM (see ServeGreeter).
absl::Status ServeGreeterFromFlags();

}  // namespace signet::bench

#endif  // SIGNET_BENCH_GREETER_PROCESS_H_
