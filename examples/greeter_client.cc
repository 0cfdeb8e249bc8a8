// greeter_client: calls the Greeter with signet's call-credentials plugin,
// which signs a token from a key file on every call, and prints the reply.
//
//   greeter_client --target=localhost:7444 --ca=cert.pem --key_file=robot.json
//   greeter_client --target=unix:/run/greeter.sock --open
//
// The exit code is the gRPC status code of the call: 0 for OK,
// 7 PERMISSION_DENIED, 14 UNAVAILABLE, 16 UNAUTHENTICATED, ...; 2 also for
// bad flags, which are reported as such.

#include <cstdio>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "client/call_credentials.h"
#include "client/channel.h"
#include "examples/greeter.grpc.pb.h"
#include "grpc/support/log.h"

ABSL_FLAG(std::string, target, "",
          "The Greeter's address: host:port (TLS) or unix:/path (local "
          "credentials).");
ABSL_FLAG(std::string, key_file, "",
          "The calling account's signet key file. Optional with --open.");
ABSL_FLAG(std::string, ca, "",
          "PEM CA certificates to check the server's TLS certificate "
          "against; the system's roots by default.");
ABSL_FLAG(std::string, server_name, "",
          "The name to check in the server's TLS certificate, when it "
          "differs from the host of --target.");
ABSL_FLAG(std::string, audience, "",
          "The audience of the tokens. Default: https://<target>/ (for a "
          "unix socket, https://localhost/).");
ABSL_FLAG(std::string, name, "world", "Who to greet.");
ABSL_FLAG(bool, open, false,
          "Call SayHelloOpenly, which needs no token, instead of SayHello.");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "Deadline of the call.");

namespace signet::examples {
namespace {

constexpr int kExitUsage = 2;

// The client reports each failure in one line of its own.
void DropGrpcLogLine(gpr_log_func_args*) {}

int UsageError(const std::string& message) {
  fprintf(stderr, "greeter_client: %s\n", message.c_str());
  return kExitUsage;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> ChannelFromFlags() {
  std::shared_ptr<grpc::CallCredentials> credentials;
  if (!absl::GetFlag(FLAGS_key_file).empty()) {
    client::CallCredentialsOptions options;
    options.audience = absl::GetFlag(FLAGS_audience);
    absl::StatusOr<std::shared_ptr<grpc::CallCredentials>> from_file =
        client::CallCredentialsFromKeyFile(absl::GetFlag(FLAGS_key_file),
                                           options);
    if (!from_file.ok()) return from_file.status();
    credentials = *std::move(from_file);
  }
  return client::CreateChannel(
      absl::GetFlag(FLAGS_target),
      {absl::GetFlag(FLAGS_ca), absl::GetFlag(FLAGS_server_name)},
      std::move(credentials));
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "calls the Greeter as a signet account and prints the reply.\n\n"
      "  greeter_client --target=ADDRESS --key_file=PATH [--ca=PEM] "
      "[--name=NAME]\n"
      "  greeter_client --target=ADDRESS --open\n");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  gpr_set_log_function(DropGrpcLogLine);
  if (args.size() > 1) {
    return UsageError(absl::StrCat("unexpected argument '", args[1], "'"));
  }
  if (absl::GetFlag(FLAGS_target).empty()) {
    return UsageError("--target is required: host:port or unix:/path");
  }
  bool open = absl::GetFlag(FLAGS_open);
  if (absl::GetFlag(FLAGS_key_file).empty() && !open) {
    return UsageError("--key_file is required, except with --open");
  }

  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = ChannelFromFlags();
  if (!channel.ok()) return UsageError(std::string(channel.status().message()));
  auto stub = Greeter::NewStub(*channel);
  grpc::ClientContext context;
  context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
  HelloRequest request;
  request.set_name(absl::GetFlag(FLAGS_name));
  HelloReply reply;
  grpc::Status status = open ? stub->SayHelloOpenly(&context, request, &reply)
                             : stub->SayHello(&context, request, &reply);

  if (!status.ok()) {
    fprintf(stderr, "greeter_client: %s failed: %s: %s\n",
            open ? "SayHelloOpenly" : "SayHello",
            absl::StatusCodeToString(
                static_cast<absl::StatusCode>(status.error_code()))
                .c_str(),
            status.error_message().c_str());
    return status.error_code();
  }
  printf("%s\n", reply.message().c_str());
  return 0;
}

}  // namespace
}  // namespace signet::examples

int main(int argc, char** argv) { return signet::examples::Main(argc, argv); }
