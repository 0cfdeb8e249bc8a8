// signetctl: the signet operator's command line. Every command but `token
// print` calls signetd, authenticated with a key file through the
// call-credentials plugin.
//
//   signetctl [flags] GROUP COMMAND [ARGS...]      signetctl GROUP COMMAND
//   --help
//
// The exit code follows the gRPC status of the call: 0 for OK, otherwise
// the status code's number (5 NOT_FOUND, 7 PERMISSION_DENIED,
// 14 UNAVAILABLE, 16 UNAUTHENTICATED, ...); 2 for bad arguments. Flags the
// flag parser itself refuses (unknown, malformed) exit with 1.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "client/signetctl_commands.h"
#include "grpc/support/log.h"

namespace signet::client {
namespace {

// signetctl reports each failure in one line of its own; gRPC's internal
// log lines would repeat it in a form meant for gRPC's developers.
void DropGrpcLogLine(gpr_log_func_args*) {}

bool AsksForHelp(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h" || arg == "help") return true;
  }
  return false;
}

// The words before the first flag: the command path and its arguments.
std::vector<std::string> Words(int argc, char** argv) {
  std::vector<std::string> words;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] == '-') continue;
    words.push_back(argv[i]);
  }
  return words;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(GeneralUsage());
  gpr_set_log_function(DropGrpcLogLine);
  // Help for one command is ours to print; absl's --help lists every flag.
  if (AsksForHelp(argc, argv)) {
    std::vector<std::string> words = Words(argc, argv);
    if (!words.empty() && words[0] == "help") words.erase(words.begin());
    printf("%s", HelpFor(words).c_str());
    return 0;
  }
  NoteFlagsGiven(argc, argv);
  std::vector<char*> parsed = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> args(parsed.begin() + 1, parsed.end());
  return RunCommand(args);
}

}  // namespace
}  // namespace signet::client

int main(int argc, char** argv) { return signet::client::Main(argc, argv); }
