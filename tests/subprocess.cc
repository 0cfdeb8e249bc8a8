#include "tests/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

extern char** environ;

namespace signet::testing {
namespace {

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

std::string NewOutputPath() {
  const char* dir = getenv("TEST_TMPDIR");
  std::string path =
      absl::StrCat(dir != nullptr ? dir : "/tmp", "/subprocess-output.XXXXXX");
  int fd = mkstemp(path.data());
  if (fd >= 0) close(fd);
  return path;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Subprocess>> Subprocess::Start(
    const std::vector<std::string>& argv,
    const std::vector<std::string>& extra_env) {
  std::string output_path = NewOutputPath();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path.c_str(),
                                   O_WRONLY | O_TRUNC | O_APPEND, 0);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);

  std::vector<std::string> args = argv;
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.push_back(*e);
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> c_args = CStrings(args);
  std::vector<char*> c_env = CStrings(env);

  pid_t pid;
  int error = posix_spawnp(&pid, c_args[0], &actions, nullptr, c_args.data(),
                           c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return absl::InternalError(absl::StrCat(
        "cannot start ", absl::StrJoin(argv, " "), ": ", strerror(error)));
  }
  return std::unique_ptr<Subprocess>(new Subprocess(pid, output_path));
}

Subprocess::Subprocess(pid_t pid, std::string output_path)
    : pid_(pid), output_path_(std::move(output_path)) {}

Subprocess::~Subprocess() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  unlink(output_path_.c_str());
}

std::string Subprocess::Output() const {
  std::ifstream in(output_path_);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

bool Subprocess::Reap(int* exit_code) {
  if (!exited_) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
    exited_ = true;
    exit_code_ =
        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  *exit_code = exit_code_;
  return true;
}

absl::Status Subprocess::WaitForOutput(absl::string_view text,
                                       absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (absl::StrContains(Output(), text)) return absl::OkStatus();
    int exit_code;
    if (Reap(&exit_code)) {
      if (absl::StrContains(Output(), text)) return absl::OkStatus();
      return absl::FailedPreconditionError(
          absl::StrCat("exited with ", exit_code, " before printing \"", text,
                       "\"; it printed:\n", Output()));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat("no \"", text, "\" after ",
                                                  absl::FormatDuration(timeout),
                                                  "; it printed:\n", Output()));
}

void Subprocess::Signal(int signal) {
  if (!exited_) kill(pid_, signal);
}

absl::StatusOr<int> Subprocess::Wait(absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  int exit_code;
  while (!Reap(&exit_code)) {
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("still running after ", absl::FormatDuration(timeout)));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return exit_code;
}

absl::StatusOr<CommandResult> RunCommand(
    const std::vector<std::string>& argv, absl::Duration timeout,
    const std::vector<std::string>& extra_env) {
  absl::StatusOr<std::unique_ptr<Subprocess>> process =
      Subprocess::Start(argv, extra_env);
  if (!process.ok()) return process.status();
  absl::StatusOr<int> exit_code = (*process)->Wait(timeout);
  if (!exit_code.ok()) {
    return absl::DeadlineExceededError(absl::StrCat(
        absl::StrJoin(argv, " "), ": ", exit_code.status().message(),
        "; it printed:\n", (*process)->Output()));
  }
  return CommandResult{*exit_code, (*process)->Output()};
}

}  // namespace signet::testing
