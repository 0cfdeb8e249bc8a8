#ifndef SIGNET_SERVER_TLS_IDENTITY_H_
#define SIGNET_SERVER_TLS_IDENTITY_H_

#include <string>

#include "absl/status/statusor.h"

namespace signet::server {

// A server's TLS certificate chain and private key, as PEM.
struct TlsIdentity {
  std::string certificate_chain;
  std::string private_key;
};

// Reads and checks both files before gRPC sees them, since gRPC only reports
// a bad certificate as a failure to start: the first PEM block of
// `certificate_path` must be an X.509 certificate, `key_path` must hold a
// private key, and the key must belong to the certificate. The error names
// the flag (--tls_cert or --tls_key), the path and the reason.
absl::StatusOr<TlsIdentity> LoadTlsIdentity(const std::string& certificate_path,
                                            const std::string& key_path);

}  // namespace signet::server

#endif  // SIGNET_SERVER_TLS_IDENTITY_H_
