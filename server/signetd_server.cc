#include "server/signetd_server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"

namespace signet::server {
namespace {

std::shared_ptr<grpc::ServerCredentials> CredentialsFor(
    const ListenAddress& address, const SignetdOptions& options) {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (address.transport == ListenAddress::Transport::kLocal) {
    credentials = grpc::experimental::LocalServerCredentials(UDS);
  } else {
    grpc::SslServerCredentialsOptions tls;
    tls.pem_key_cert_pairs.push_back(
        {options.tls->private_key, options.tls->certificate_chain});
    credentials = grpc::SslServerCredentials(tls);
  }
  if (options.auth_processor != nullptr) {
    credentials->SetAuthMetadataProcessor(options.auth_processor);
  }
  return credentials;
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

// Whether a server accepts connections on the unix socket at `path`.
bool SomeoneListensOn(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  bool connected =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return connected;
}

// gRPC removes whatever socket file is at a unix address before binding, so
// a second signetd would silently take the socket of a running one. This
// refuses that, and names a missing directory, which gRPC reports only as a
// failure to bind.
absl::Status CheckUnixAddressIsFree(const ListenAddress& address) {
  std::string path = address.address.substr(std::strlen("unix:"));
  std::string directory = path.substr(0, path.rfind('/'));
  struct stat info;
  if (!directory.empty() && stat(directory.c_str(), &info) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address.address, ": directory ",
                     directory, ": ", strerror(errno)));
  }
  if (lstat(path.c_str(), &info) != 0) return absl::OkStatus();
  if (!S_ISSOCK(info.st_mode)) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ",
                                               address.address, ": ", path,
                                               " exists and is not a socket"));
  }
  if (SomeoneListensOn(path)) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", address.address,
                     ": another server is listening there"));
  }
  return absl::OkStatus();
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
  // Admin requests are small (an uploaded certificate is a few KiB); a low
  // bound keeps callers from sending megabytes into the store and its log.
  builder.SetMaxReceiveMessageSize(64 * 1024);
  // Verifiers ping their WatchKeys streams (every 30 s) to notice a dead
  // connection; gRPC would otherwise answer pings on an idle stream more
  // often than every 5 minutes by closing the connection.
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 20000);
  std::vector<int> ports(options.listen.size(), 0);
  for (size_t i = 0; i < options.listen.size(); ++i) {
    const ListenAddress& address = options.listen[i];
    if (address.transport == ListenAddress::Transport::kTls && !options.tls) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--listen=", address.address, " needs --tls_cert and --tls_key"));
    }
    if (address.transport == ListenAddress::Transport::kLocal) {
      absl::Status free = CheckUnixAddressIsFree(address);
      if (!free.ok()) return free;
    }
    builder.AddListeningPort(address.address, CredentialsFor(address, options),
                             &ports[i]);
  }
  for (grpc::Service* service : options.services) {
    builder.RegisterService(service);
  }

  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    // gRPC binds all addresses or none, and does not say which one failed.
    std::vector<std::string> addresses;
    for (const ListenAddress& address : options.listen) {
      addresses.push_back(address.address);
    }
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", absl::StrJoin(addresses, ", "),
        ": an address is in use, not on this host, or not permitted"));
  }
  std::vector<std::string> bound;
  for (size_t i = 0; i < options.listen.size(); ++i) {
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
