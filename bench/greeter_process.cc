#include "bench/greeter_process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

ABSL_FLAG(std::string, serve, "",
          "Internal: serve the greeter in this mode (plain, noop, "
          "nonblocking, blocking) instead of measuring.");
ABSL_FLAG(std::string, listen, "", "Internal: the server's address.");
ABSL_FLAG(std::string, tls_cert, "", "Internal: TLS certificate PEM file.");
ABSL_FLAG(std::string, tls_key, "", "Internal: TLS private key PEM file.");
ABSL_FLAG(std::string, public_key, "",
          "Internal: the client's public key PEM file.");
ABSL_FLAG(std::string, key_id, "", "Internal: the client's key id.");
ABSL_FLAG(std::string, account, "", "Internal: the client's account.");
ABSL_FLAG(std::string, audience, "", "Internal: the accepted audience.");

namespace signet::bench {
namespace {

std::string SelfPath() {
  char path[4096];
  ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
  return length > 0 ? std::string(path, length) : "/proc/self/exe";
}

std::vector<std::string> ServerArguments(const GreeterServerConfig& config) {
  return {
      SelfPath(),
      absl::StrCat("--serve=", ServerModeName(config.mode)),
      absl::StrCat("--listen=", config.listen),
      absl::StrCat("--tls_cert=", config.tls_cert_path),
      absl::StrCat("--tls_key=", config.tls_key_path),
      absl::StrCat("--public_key=", config.public_key_path),
      absl::StrCat("--key_id=", config.key_id),
      absl::StrCat("--account=", config.account_email),
      absl::StrCat("--audience=", config.audience),
  };
}

GreeterServerConfig ServerConfigFromFlags(ServerMode mode) {
  GreeterServerConfig config;
  config.mode = mode;
  config.listen = absl::GetFlag(FLAGS_listen);
  config.tls_cert_path = absl::GetFlag(FLAGS_tls_cert);
  config.tls_key_path = absl::GetFlag(FLAGS_tls_key);
  config.public_key_path = absl::GetFlag(FLAGS_public_key);
  config.key_id = absl::GetFlag(FLAGS_key_id);
  config.account_email = absl::GetFlag(FLAGS_account);
  config.audience = absl::GetFlag(FLAGS_audience);
  return config;
}

}  // namespace

absl::StatusOr<std::unique_ptr<testing::Subprocess>> StartGreeterProcess(
    const GreeterServerConfig& config) {
  SIGNET_ASSIGN_OR_RETURN(std::unique_ptr<testing::Subprocess> server,
                          testing::Subprocess::Start(ServerArguments(config)));
  SIGNET_RETURN_IF_ERROR(
      server->WaitForOutput(kServingLine, absl::Seconds(30)));
  return server;
}

absl::StatusOr<std::string> StopGreeterProcess(testing::Subprocess& server) {
  server.Signal(SIGTERM);
  SIGNET_ASSIGN_OR_RETURN(int exit_code, server.Wait(absl::Seconds(10)));
  std::string output = server.Output();
  if (exit_code != 0) {
    return absl::InternalError(absl::StrCat("the greeter server exited with ",
                                            exit_code, ":\n", output));
  }
  size_t start = output.find(kDecisionsLine);
  if (start == std::string::npos) return std::string();
  start += sizeof(kDecisionsLine);  // and the space after it
  return output.substr(start, output.find('\n', start) - start);
}

bool IsGreeterProcess() { return !absl::GetFlag(FLAGS_serve).empty(); }

absl::Status ServeGreeterFromFlags() {
  // The server must not outlive the benchmark, however that ends.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  std::optional<ServerMode> mode =
      ServerModeFromName(absl::GetFlag(FLAGS_serve));
  if (!mode.has_value()) {
    return absl::InvalidArgumentError(
        "--serve: unknown server mode; use plain, noop, nonblocking, blocking");
  }
  return ServeGreeter(ServerConfigFromFlags(*mode));
}

}  // namespace signet::bench
