#ifndef SIGNET_SERVER_SIGNETD_SERVER_H_
#define SIGNET_SERVER_SIGNETD_SERVER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "server/listen_address.h"
#include "server/tls_identity.h"

namespace signet::server {

struct SignetdOptions {
  std::vector<ListenAddress> listen;
  // Required when any address uses TLS.
  std::optional<TlsIdentity> tls;
  // Served on every address; not owned, must outlive the server.
  std::vector<grpc::Service*> services;
  // Checks the token of every call on every address, when set.
  std::shared_ptr<grpc::AuthMetadataProcessor> auth_processor;
};

// signetd's gRPC server: the given services, the standard health service
// (grpc.health.v1) and server reflection on every listen address.
class SignetdServer {
 public:
  // Binds every address and starts serving. INVALID_ARGUMENT for a TLS
  // address without an identity; UNAVAILABLE when an address cannot be bound
  // (in use, or no permission).
  static absl::StatusOr<std::unique_ptr<SignetdServer>> Start(
      const SignetdOptions& options);

  // The addresses as bound, with the real port where 0 was asked for.
  const std::vector<std::string>& bound_addresses() const {
    return bound_addresses_;
  }

  // Reports NOT_SERVING to health checks, stops accepting calls and waits up
  // to `grace` for calls in flight, then cancels those still running.
  void Shutdown(absl::Duration grace);

 private:
  SignetdServer(std::unique_ptr<grpc::Server> server,
                std::vector<std::string> bound_addresses);

  std::unique_ptr<grpc::Server> server_;
  std::vector<std::string> bound_addresses_;
};

}  // namespace signet::server

#endif  // SIGNET_SERVER_SIGNETD_SERVER_H_
