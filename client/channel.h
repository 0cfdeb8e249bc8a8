#ifndef SIGNET_CLIENT_CHANNEL_H_
#define SIGNET_CLIENT_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"

namespace signet::client {

struct ChannelOptions {
  // PEM file of the CA certificates that TLS servers are checked against;
  // empty for the system's roots.
  std::string tls_ca_path;
  // Overrides the name checked in the server's certificate, for servers
  // reached by address.
  std::string tls_server_name;
  // When not zero, ping the server this often while no data flows, and
  // drop the connection when a ping goes unanswered for 10 s: a long stream
  // then notices a peer that vanished without closing the connection. The
  // server must permit pings this often (signetd permits one every 20 s).
  absl::Duration keepalive = absl::ZeroDuration();
};

// Channel credentials for `target`: gRPC's local credentials for
// "unix:/path", TLS for anything else. Call credentials are sent only over
// these two. INVALID_ARGUMENT when the CA file cannot be read.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>>
TransportCredentialsFor(const std::string& target,
                        const ChannelOptions& options);

// A channel to `target` with TransportCredentialsFor(target, options) and,
// when given, `call_credentials` composed on top.
absl::StatusOr<std::shared_ptr<grpc::Channel>> CreateChannel(
    const std::string& target, const ChannelOptions& options,
    std::shared_ptr<grpc::CallCredentials> call_credentials = nullptr);

}  // namespace signet::client

#endif  // SIGNET_CLIENT_CHANNEL_H_
