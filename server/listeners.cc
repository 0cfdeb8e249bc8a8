#include "server/listeners.h"

#include "base/status_macros.h"

namespace signet::server {

absl::StatusOr<Listeners> ParseListeners(const std::vector<std::string>& listen,
                                         const std::string& tls_cert,
                                         const std::string& tls_key) {
  if (listen.empty()) {
    return absl::InvalidArgumentError(
        "no --listen address: pass host:port (TLS) and/or unix:/path");
  }
  Listeners listeners;
  bool needs_tls = false;
  for (const std::string& text : listen) {
    SIGNET_ASSIGN_OR_RETURN(ListenAddress address, ParseListenAddress(text));
    needs_tls |= address.transport == ListenAddress::Transport::kTls;
    listeners.addresses.push_back(std::move(address));
  }
  if (needs_tls) {
    SIGNET_ASSIGN_OR_RETURN(listeners.tls, LoadTlsIdentity(tls_cert, tls_key));
  }
  return listeners;
}

}  // namespace signet::server
