#include "client/channel.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/file.h"
#include "base/status_macros.h"
#include "grpcpp/security/credentials.h"

namespace signet::client {
namespace {

absl::StatusOr<std::string> ReadCaFile(const std::string& path) {
  SIGNET_ASSIGN_OR_RETURN(std::string contents, ReadFile(path));
  if (!absl::StrContains(contents, "-----BEGIN CERTIFICATE-----")) {
    return absl::InvalidArgumentError(
        absl::StrCat("CA file ", path, " holds no PEM certificate"));
  }
  return contents;
}

// gRPC accepts "host" and then fails later with "connection refused" on
// port 0; say what is missing instead.
absl::Status CheckTarget(const std::string& target) {
  if (absl::StartsWith(target, "unix:")) return absl::OkStatus();
  size_t colon = target.rfind(':');
  if (colon == std::string::npos || colon + 1 == target.size() ||
      target.back() == ']') {
    return absl::InvalidArgumentError(absl::StrCat(
        "target ", target, " has no port: use host:port or unix:/path"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
TransportCredentialsFor(const std::string& target,
                        const ChannelOptions& options) {
  SIGNET_RETURN_IF_ERROR(CheckTarget(target));
  if (absl::StartsWith(target, "unix:")) {
    return grpc::experimental::LocalCredentials(UDS);
  }
  grpc::SslCredentialsOptions tls;
  if (!options.tls_ca_path.empty()) {
    SIGNET_ASSIGN_OR_RETURN(tls.pem_root_certs,
                            ReadCaFile(options.tls_ca_path));
  }
  return grpc::SslCredentials(tls);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> CreateChannel(
    const std::string& target, const ChannelOptions& options,
    std::shared_ptr<grpc::CallCredentials> call_credentials) {
  SIGNET_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ChannelCredentials> transport,
                          TransportCredentialsFor(target, options));
  if (call_credentials != nullptr) {
    transport = grpc::CompositeChannelCredentials(transport, call_credentials);
  }
  grpc::ChannelArguments arguments;
  if (!options.tls_server_name.empty()) {
    arguments.SetSslTargetNameOverride(options.tls_server_name);
  }
  if (options.keepalive > absl::ZeroDuration()) {
    arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS,
                     absl::ToInt64Milliseconds(options.keepalive));
    arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
    // By default gRPC stops pinging after two pings without data, which is
    // all an idle stream ever sends.
    arguments.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  }
  return grpc::CreateCustomChannel(target, transport, arguments);
}

}  // namespace signet::client
