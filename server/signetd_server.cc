#include "server/signetd_server.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"

namespace signet::server {
namespace {

std::shared_ptr<grpc::ServerCredentials> CredentialsFor(
    const ListenAddress& address, const std::optional<TlsIdentity>& tls) {
  if (address.transport == ListenAddress::Transport::kLocal) {
    return grpc::experimental::LocalServerCredentials(UDS);
  }
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back(
      {tls->private_key, tls->certificate_chain});
  return grpc::SslServerCredentials(options);
}

// "127.0.0.1:0" bound to port 41234 -> "127.0.0.1:41234"
std::string BoundAddress(const ListenAddress& address, int port) {
  if (address.transport == ListenAddress::Transport::kLocal) {
    return address.address;
  }
  absl::string_view host =
      absl::string_view(address.address).substr(0, address.address.rfind(':'));
  return absl::StrCat(host, ":", port);
}

}  // namespace

absl::StatusOr<std::unique_ptr<SignetdServer>> SignetdServer::Start(
    const SignetdOptions& options) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which lets a second signetd share a
  // port silently instead of failing to start.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::vector<int> ports(options.listen.size(), 0);
  for (size_t i = 0; i < options.listen.size(); ++i) {
    const ListenAddress& address = options.listen[i];
    if (address.transport == ListenAddress::Transport::kTls && !options.tls) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--listen=", address.address, " needs --tls_cert and --tls_key"));
    }
    builder.AddListeningPort(address.address,
                             CredentialsFor(address, options.tls), &ports[i]);
  }

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  std::vector<std::string> bound;
  for (size_t i = 0; i < options.listen.size(); ++i) {
    if (server == nullptr || ports[i] == 0) {
      return absl::UnavailableError(absl::StrCat(
          "cannot listen on ", options.listen[i].address,
          ": the address is in use, not local, or not permitted"));
    }
    bound.push_back(BoundAddress(options.listen[i], ports[i]));
  }
  return std::unique_ptr<SignetdServer>(
      new SignetdServer(std::move(server), std::move(bound)));
}

SignetdServer::SignetdServer(std::unique_ptr<grpc::Server> server,
                             std::vector<std::string> bound_addresses)
    : server_(std::move(server)),
      bound_addresses_(std::move(bound_addresses)) {}

void SignetdServer::Shutdown(absl::Duration grace) {
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
}

}  // namespace signet::server
