// examples/greeter_server and examples/greeter_client as processes, against
// signetd in the test's process: flags, both key sources, TLS and unix
// socket listeners, padded tokens, exit codes, graceful stop, and refusing
// bad starts.

#include <signal.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/greeter_fixture.h"
#include "tests/python_client_fixture.h"
#include "tests/subprocess.h"

namespace signet {
namespace {

using ::signet::testing::CommandResult;
using ::signet::testing::RunCommand;
using ::signet::testing::Subprocess;

constexpr char kGreeterServer[] = "examples/greeter_server";
constexpr char kGreeterClient[] = "examples/greeter_client";
constexpr int kExitUsage = 2;

class GreeterBinariesTest : public ::signet::testing::PythonClientFixture {
 protected:
  std::vector<std::string> ServerFlags() {
    return {kGreeterServer,
            absl::StrCat("--listen=127.0.0.1:", port_),
            absl::StrCat("--tls_cert=", certificate_.certificate_path),
            absl::StrCat("--tls_key=", certificate_.key_path),
            absl::StrCat("--signetd=", socket_),
            absl::StrCat("--key_file=", KeyFilePath(kGreeterAccount)),
            "--key_fetch_wait=10s"};
  }

  // Starts greeter_server with `argv` and waits until it serves.
  std::unique_ptr<Subprocess> StartServer(
      const std::vector<std::string>& argv) {
    absl::StatusOr<std::unique_ptr<Subprocess>> server =
        Subprocess::Start(argv);
    EXPECT_TRUE(server.ok()) << server.status();
    if (!server.ok()) return nullptr;
    absl::Status serving =
        (*server)->WaitForOutput("serving on", absl::Seconds(30));
    EXPECT_TRUE(serving.ok()) << serving << "\n" << (*server)->Output();
    return serving.ok() ? std::move(*server) : nullptr;
  }

  // Runs greeter_client as `account_id` (no key file when empty) against
  // `target` (default: the TLS address), with `flags`.
  CommandResult RunClient(const std::string& account_id,
                          std::vector<std::string> flags = {},
                          std::string target = "") {
    std::vector<std::string> argv = {
        kGreeterClient,
        absl::StrCat("--target=", target.empty() ? Target() : target),
        absl::StrCat("--ca=", certificate_.certificate_path), "--name=Ada"};
    if (!account_id.empty()) {
      argv.push_back(absl::StrCat("--key_file=", KeyFilePath(account_id)));
    }
    argv.insert(argv.end(), flags.begin(), flags.end());
    absl::StatusOr<CommandResult> result = RunCommand(argv);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{-1, ""};
  }

  // Runs the client until it exits with `code`: a liveness bound for a
  // change to reach the server.
  bool EventuallyClientExits(const std::string& account_id, int code) {
    absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (absl::Now() < deadline) {
      if (RunClient(account_id).exit_code == code) return true;
    }
    return false;
  }

  // Runs greeter_server with flags that must make it refuse to start.
  CommandResult RunFailingServer(const std::vector<std::string>& argv) {
    absl::StatusOr<CommandResult> result = RunCommand(argv, absl::Seconds(60));
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : CommandResult{-1, ""};
  }
};

TEST_F(GreeterBinariesTest, ClientIsGreetedByItsAccount) {
  MakeCaller("caller-one");
  auto server = StartServer(ServerFlags());
  ASSERT_NE(server, nullptr);

  CommandResult result = RunClient("caller-one");

  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, "Hello Ada, from caller-one@signet.test\n");
}

TEST_F(GreeterBinariesTest, AccountNotAllowedExitsWithPermissionDenied) {
  MakeCaller("caller-one");
  MakeCaller("caller-two");
  std::vector<std::string> flags = ServerFlags();
  flags.push_back("--allow=caller-one@signet.test");
  auto server = StartServer(flags);
  ASSERT_NE(server, nullptr);

  CommandResult allowed = RunClient("caller-one");
  CommandResult denied = RunClient("caller-two");

  EXPECT_EQ(allowed.exit_code, 0) << allowed.output;
  EXPECT_EQ(denied.exit_code, kPermissionDenied) << denied.output;
  EXPECT_TRUE(
      absl::StrContains(denied.output, "SayHello failed: PERMISSION_DENIED"))
      << denied.output;
}

TEST_F(GreeterBinariesTest, RepeatedAllowFlagsAllAdd) {
  MakeCaller("caller-one");
  MakeCaller("caller-two");
  MakeCaller("caller-three");
  std::vector<std::string> flags = ServerFlags();
  flags.push_back("--allow=caller-one@signet.test");
  flags.push_back("--allow=caller-two@signet.test");
  auto server = StartServer(flags);
  ASSERT_NE(server, nullptr);

  EXPECT_EQ(RunClient("caller-one").exit_code, 0);
  EXPECT_EQ(RunClient("caller-two").exit_code, 0);
  EXPECT_EQ(RunClient("caller-three").exit_code, kPermissionDenied);
}

TEST_F(GreeterBinariesTest, OpenMethodAnswersWithoutKeyFile) {
  std::vector<std::string> flags = ServerFlags();
  flags.push_back("--allow=nobody@signet.test");
  auto server = StartServer(flags);
  ASSERT_NE(server, nullptr);

  CommandResult open = RunClient("", {"--open"});
  CommandResult closed = RunClient("", {"--key_file="});

  EXPECT_EQ(open.exit_code, 0) << open.output;
  EXPECT_EQ(open.output, "Hello Ada, from an anonymous caller\n");
  EXPECT_EQ(closed.exit_code, kExitUsage) << closed.output;
  EXPECT_TRUE(absl::StrContains(closed.output, "--key_file is required"));
}

TEST_F(GreeterBinariesTest, DisabledKeyExitsWithUnauthenticated) {
  v1::Key key = MakeCaller("caller-one");
  auto server = StartServer(ServerFlags());
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(RunClient("caller-one").exit_code, 0);

  ASSERT_TRUE(DisableKey(key).ok());

  EXPECT_TRUE(EventuallyClientExits("caller-one", kUnauthenticated));
  CommandResult refused = RunClient("caller-one");
  EXPECT_TRUE(
      absl::StrContains(refused.output, "SayHello failed: UNAUTHENTICATED"))
      << refused.output;
}

TEST_F(GreeterBinariesTest, DatabaseKeySourceHearsChangesByListen) {
  v1::Key key = MakeCaller("caller-one");
  auto server = StartServer(
      {kGreeterServer, absl::StrCat("--listen=127.0.0.1:", port_),
       absl::StrCat("--tls_cert=", certificate_.certificate_path),
       absl::StrCat("--tls_key=", certificate_.key_path),
       absl::StrCat("--database=", database_), "--key_fetch_wait=10s"});
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(absl::StrContains(server->Output(),
                                "keys from PostgreSQL (changes by LISTEN)"))
      << server->Output();
  ASSERT_EQ(RunClient("caller-one").exit_code, 0);

  ASSERT_TRUE(DisableKey(key).ok());

  EXPECT_TRUE(EventuallyClientExits("caller-one", kUnauthenticated));
}

TEST_F(GreeterBinariesTest, UnixSocketListenerServesLocalCredentials) {
  MakeCaller("caller-one");
  std::string socket = absl::StrCat("unix:", directory_, "/greeter.sock");
  std::vector<std::string> flags = ServerFlags();
  flags[1] = absl::StrCat("--listen=", socket);
  auto server = StartServer(flags);
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(absl::StrContains(server->Output(),
                                "accepting tokens for audiences "
                                "https://localhost/\n"))
      << server->Output();

  CommandResult result = RunClient("caller-one", {}, socket);

  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output, "Hello Ada, from caller-one@signet.test\n");
}

TEST_F(GreeterBinariesTest, PaddedTokensPassOnlyWithAcceptPaddedTokens) {
  MakeCaller("caller-one");
  std::vector<std::string> flags = ServerFlags();
  auto strict = StartServer(flags);
  ASSERT_NE(strict, nullptr);
  // google-auth 1.5.1 pads; the client re-encodes unless --keep_padding.
  CommandResult unpadded = RunPythonClient("caller-one");
  CommandResult refused = RunPythonClient("caller-one", {"--keep_padding"});
  strict->Signal(SIGTERM);
  ASSERT_TRUE(strict->Wait(absl::Seconds(20)).ok());
  flags.push_back("--accept_padded_tokens");
  auto lenient = StartServer(flags);
  ASSERT_NE(lenient, nullptr);

  CommandResult accepted = RunPythonClient("caller-one", {"--keep_padding"});

  EXPECT_EQ(unpadded.exit_code, 0) << unpadded.output;
  if (absl::StrContains(unpadded.output, "pads token segments")) {
    EXPECT_EQ(refused.exit_code, kUnauthenticated) << refused.output;
  }
  EXPECT_EQ(accepted.exit_code, 0) << accepted.output;
  EXPECT_TRUE(absl::StrContains(lenient->Output(), "padded tokens too"));
}

TEST_F(GreeterBinariesTest, SigtermStopsAndSummarizesDecisions) {
  MakeCaller("caller-one");
  auto server = StartServer(ServerFlags());
  ASSERT_NE(server, nullptr);
  ASSERT_EQ(RunClient("caller-one").exit_code, 0);
  ASSERT_EQ(RunClient("", {"--open"}).exit_code, 0);

  server->Signal(SIGTERM);

  absl::StatusOr<int> exit_code = server->Wait(absl::Seconds(20));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << server->Output();
  EXPECT_TRUE(
      absl::StrContains(server->Output(), "decisions: allowed 1, open 1\n"))
      << server->Output();
  EXPECT_TRUE(absl::StrContains(server->Output(), "stopped"));
}

TEST_F(GreeterBinariesTest, SigintStopsToo) {
  auto server = StartServer(ServerFlags());
  ASSERT_NE(server, nullptr);

  server->Signal(SIGINT);

  absl::StatusOr<int> exit_code = server->Wait(absl::Seconds(20));
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0) << server->Output();
}

struct BadStart {
  std::vector<std::string> flags;  // replacing ServerFlags() entries by name
  int exit_code;
  std::string says;
};

TEST_F(GreeterBinariesTest, BadStartsAreRefusedInOneLine) {
  std::string key_file = KeyFilePath(kGreeterAccount);
  std::vector<BadStart> cases = {
      {{"--listen="}, kExitUsage, "no --listen address"},
      {{"--listen=127.0.0.1"}, kExitUsage, "127.0.0.1"},
      {{"--tls_cert="}, kExitUsage, "--tls_cert"},
      {{"--key_file="}, kExitUsage, "--signetd needs --key_file"},
      {{"--database=host=/nowhere"}, kExitUsage, "choose one key source"},
      {{"--signetd="}, kExitUsage, "choose one key source"},
      {{"--allow=caller-one"}, kExitUsage, "--allow"},
      {{"--listen=127.0.0.1:0"}, kExitUsage, "port 0"},
      {{"--key_fetch_wait=0s"}, kExitUsage, "--key_fetch_wait"},
      {{absl::StrCat("--key_file=", directory_, "/missing.json")},
       kExitUsage,
       "missing.json"},
      {{absl::StrCat("--signetd=unix:", directory_, "/nothing.sock")},
       1,
       "cannot start"},
  };
  for (const BadStart& bad : cases) {
    std::vector<std::string> argv = ServerFlags();
    for (const std::string& flag : bad.flags) {
      std::string name = flag.substr(0, flag.find('=') + 1);
      bool replaced = false;
      for (std::string& arg : argv) {
        if (absl::StartsWith(arg, name)) arg = flag, replaced = true;
      }
      if (!replaced) argv.push_back(flag);
    }

    CommandResult result = RunFailingServer(argv);

    std::string flags = absl::StrJoin(bad.flags, " ");
    EXPECT_EQ(result.exit_code, bad.exit_code)
        << flags << ": " << result.output;
    EXPECT_TRUE(absl::StrContains(result.output, bad.says))
        << flags << ": " << result.output;
    // One error line; the verifier may log its attempts before it.
    std::vector<std::string> errors;
    for (absl::string_view line : absl::StrSplit(result.output, '\n')) {
      if (absl::StrContains(line, " error ")) errors.emplace_back(line);
    }
    EXPECT_EQ(errors.size(), 1u) << flags << ": " << result.output;
  }
}

TEST_F(GreeterBinariesTest, ClientWithoutTargetIsAUsageError) {
  absl::StatusOr<CommandResult> result =
      RunCommand({kGreeterClient, "--key_file=x.json"});

  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->exit_code, kExitUsage);
  EXPECT_TRUE(absl::StrContains(result->output, "--target is required"));
}

}  // namespace
}  // namespace signet
