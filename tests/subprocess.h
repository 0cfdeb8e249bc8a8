#ifndef SIGNET_TESTS_SUBPROCESS_H_
#define SIGNET_TESTS_SUBPROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace signet::testing {

// A child process whose standard output and error go to one file, so that a
// test can read what it printed without ever blocking on a full pipe.
class Subprocess {
 public:
  // Starts `argv[0]` (a path, or a name looked up in PATH) with the
  // environment of this process plus `extra_env` ("NAME=value" entries).
  static absl::StatusOr<std::unique_ptr<Subprocess>> Start(
      const std::vector<std::string>& argv,
      const std::vector<std::string>& extra_env = {});

  // Kills the process with SIGKILL if it is still running.
  ~Subprocess();

  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }

  // Everything the process has printed so far, on stdout and stderr.
  std::string Output() const;

  // Waits until the output contains `text`; DEADLINE_EXCEEDED after
  // `timeout`, FAILED_PRECONDITION if the process exits first.
  absl::Status WaitForOutput(absl::string_view text, absl::Duration timeout);

  void Signal(int signal);

  // The exit code, or 128 + the signal that ended it; DEADLINE_EXCEEDED if
  // it is still running after `timeout`.
  absl::StatusOr<int> Wait(absl::Duration timeout);

 private:
  Subprocess(pid_t pid, std::string output_path);

  bool Reap(int* exit_code);

  pid_t pid_;
  bool exited_ = false;
  int exit_code_ = -1;
  std::string output_path_;
};

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// Runs a command to completion; DEADLINE_EXCEEDED (after killing it) if it
// takes longer than `timeout`.
absl::StatusOr<CommandResult> RunCommand(
    const std::vector<std::string>& argv,
    absl::Duration timeout = absl::Seconds(60),
    const std::vector<std::string>& extra_env = {});

}  // namespace signet::testing

#endif  // SIGNET_TESTS_SUBPROCESS_H_
