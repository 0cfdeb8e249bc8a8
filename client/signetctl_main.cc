// signetctl: the signet operator's command line.
//
//   signetctl --target=ADDRESS [flags] COMMAND
//
// The exit code follows the gRPC status of the call: 0 for OK, otherwise
// the status code's number (5 NOT_FOUND, 7 PERMISSION_DENIED,
// 14 UNAVAILABLE, 16 UNAUTHENTICATED, ...); 2 for bad arguments. Flags the
// flag parser itself refuses (unknown, malformed) exit with 1.

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "client/channel.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/support/log.h"

ABSL_FLAG(std::string, target, "",
          "signetd's address: host:port (TLS) or unix:/path (local "
          "credentials). Defaults to the SIGNET_TARGET environment "
          "variable.");
ABSL_FLAG(std::string, tls_ca, "",
          "PEM file of the CA that signed signetd's certificate; empty for "
          "the system's roots.");
ABSL_FLAG(std::string, tls_server_name, "",
          "The name to check in signetd's certificate, when --target is an "
          "address that the certificate does not name.");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "Deadline of each call.");
ABSL_FLAG(std::string, service, "",
          "health: the service to check; empty for the server as a whole.");

namespace signet::client {
namespace {

constexpr int kExitUsage = 2;

struct Command {
  const char* name;
  const char* summary;
  std::function<int(const std::vector<std::string>& args)> run;
};

int Usage(const std::string& problem) {
  fprintf(stderr, "signetctl: %s; see signetctl --help\n", problem.c_str());
  return kExitUsage;
}

int ExitCodeFor(const grpc::Status& status) {
  return static_cast<int>(status.error_code());
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelFromFlags() {
  std::string target = absl::GetFlag(FLAGS_target);
  if (target.empty() && getenv("SIGNET_TARGET") != nullptr) {
    target = getenv("SIGNET_TARGET");
  }
  if (target.empty()) {
    return absl::InvalidArgumentError(
        "no signetd address: pass --target=host:port or unix:/path, or set "
        "SIGNET_TARGET");
  }
  return CreateChannel(target, {absl::GetFlag(FLAGS_tls_ca),
                                absl::GetFlag(FLAGS_tls_server_name)});
}

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
}

int Health(const std::vector<std::string>& args) {
  if (!args.empty()) return Usage("health takes no arguments");
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = ChannelFromFlags();
  if (!channel.ok()) return Usage(std::string(channel.status().message()));

  auto stub = grpc::health::v1::Health::NewStub(*channel);
  grpc::ClientContext context;
  SetDeadline(context);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(absl::GetFlag(FLAGS_service));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  if (!status.ok()) {
    fprintf(stderr, "signetctl: health check failed: %s: %s\n",
            absl::StatusCodeToString(
                static_cast<absl::StatusCode>(status.error_code()))
                .c_str(),
            status.error_message().c_str());
    return ExitCodeFor(status);
  }

  printf("%s\n", grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                     response.status())
                     .c_str());
  return response.status() == grpc::health::v1::HealthCheckResponse::SERVING
             ? EXIT_SUCCESS
             : ExitCodeFor(grpc::Status(grpc::StatusCode::UNAVAILABLE, ""));
}

const std::vector<Command>& Commands() {
  static const auto* commands = new std::vector<Command>{
      {"health",
       "Checks that signetd answers SERVING (grpc.health.v1); prints the "
       "status.",
       Health},
  };
  return *commands;
}

std::string UsageMessage() {
  std::string usage =
      "the signet operator's command line.\n\n"
      "  signetctl --target=ADDRESS [flags] COMMAND\n\nCommands:\n";
  for (const Command& command : Commands()) {
    absl::StrAppend(&usage, "  ", command.name, "\t", command.summary, "\n");
  }
  return usage;
}

// signetctl reports each failure in one line of its own; gRPC's internal
// log lines would repeat it in a form meant for gRPC's developers.
void DropGrpcLogLine(gpr_log_func_args*) {}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(UsageMessage());
  gpr_set_log_function(DropGrpcLogLine);
  std::vector<char*> parsed = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> args(parsed.begin() + 1, parsed.end());
  if (args.empty()) return Usage("no command");

  for (const Command& command : Commands()) {
    if (args[0] == command.name) {
      return command.run(
          std::vector<std::string>(args.begin() + 1, args.end()));
    }
  }
  return Usage(absl::StrCat("unknown command '", args[0], "'"));
}

}  // namespace
}  // namespace signet::client

int main(int argc, char** argv) { return signet::client::Main(argc, argv); }
