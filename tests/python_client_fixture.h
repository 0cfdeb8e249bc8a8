#ifndef SIGNET_TESTS_PYTHON_CLIENT_FIXTURE_H_
#define SIGNET_TESTS_PYTHON_CLIENT_FIXTURE_H_

// The Greeter fixture, called by examples/python_client.py: Python's
// google-auth and grpcio (Debian's python3-google-auth and python3-grpcio)
// under /usr/bin/python3, knowing nothing of signet but the key file.

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/greeter_fixture.h"
#include "tests/subprocess.h"

namespace signet::testing {

class PythonClientFixture : public GreeterFixture {
 protected:
  static constexpr int kPermissionDenied = 7;
  static constexpr int kUnauthenticated = 16;

 protected:
  // Runs examples/python_client.py as `account_id` with `flags`.
  CommandResult RunPythonClient(const std::string& account_id,
                                const std::vector<std::string>& flags = {}) {
    std::vector<std::string> argv = {
        "/usr/bin/python3",
        "examples/python_client.py",
        absl::StrCat("--target=", Target()),
        absl::StrCat("--ca=", certificate_.certificate_path),
        absl::StrCat("--key_file=", KeyFilePath(account_id)),
        "--name=Ada",
    };
    argv.insert(argv.end(), flags.begin(), flags.end());
    // greeter_pb2.py sits beside the script in the runfiles, but Python
    // looks beside the file the script's link points to.
    absl::StatusOr<CommandResult> result = RunCommand(
        argv, absl::Seconds(60),
        {absl::StrCat("PYTHONPATH=", std::filesystem::current_path().string(),
                      "/examples")});
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{-1, ""};
  }

  void ExpectAccepted(const std::string& account_id,
                      const std::vector<std::string>& flags = {}) {
    CommandResult result = RunPythonClient(account_id, flags);
    ASSERT_EQ(result.exit_code, 0)
        << result.output << "the verifier decided: " << DecisionsText();
    EXPECT_TRUE(absl::StrContains(
        result.output, absl::StrCat("Hello Ada, from ", Email(account_id))))
        << result.output;
  }

  // Runs the client until it exits with `code`: a liveness bound for a
  // change to reach the Greeter.
  bool EventuallyExits(const std::string& account_id, int code) {
    absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline) {
      if (RunPythonClient(account_id).exit_code == code) return true;
    }
    return false;
  }

  std::string ServiceUrl() const {
    return absl::StrCat(DefaultAudience(), "signet.examples.Greeter");
  }
};

}  // namespace signet::testing

#endif  // SIGNET_TESTS_PYTHON_CLIENT_FIXTURE_H_
