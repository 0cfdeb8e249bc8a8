#ifndef SIGNET_SERVER_LISTENERS_H_
#define SIGNET_SERVER_LISTENERS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/listen_address.h"
#include "server/tls_identity.h"

namespace signet::server {

// A server's --listen addresses, and its TLS identity when any is TLS.
struct Listeners {
  std::vector<ListenAddress> addresses;
  std::optional<TlsIdentity> tls;
};

// Parses the --listen entries (at least one) and, if any is host:port,
// loads the certificate and key. INVALID_ARGUMENT says which flag is wrong.
absl::StatusOr<Listeners> ParseListeners(const std::vector<std::string>& listen,
                                         const std::string& tls_cert,
                                         const std::string& tls_key);

}  // namespace signet::server

#endif  // SIGNET_SERVER_LISTENERS_H_
