#ifndef SIGNET_SERVER_LISTEN_ADDRESS_H_
#define SIGNET_SERVER_LISTEN_ADDRESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace signet::server {

// Where signetd listens, and with which transport security. gRPC sends call
// credentials only over secure channels, so there is no plaintext option.
struct ListenAddress {
  enum class Transport {
    kTls,    // host:port, with --tls_cert and --tls_key
    kLocal,  // unix:/path, with gRPC's local credentials
  };

  Transport transport;
  std::string address;  // in gRPC's form: "host:port" or "unix:/path"
};

// Parses one --listen entry: "unix:/abs/path" or "host:port", where host is
// a name, an IPv4 address or a bracketed IPv6 address, and port is 0 (any
// free port) to 65535. INVALID_ARGUMENT names what is wrong.
absl::StatusOr<ListenAddress> ParseListenAddress(absl::string_view text);

}  // namespace signet::server

#endif  // SIGNET_SERVER_LISTEN_ADDRESS_H_
