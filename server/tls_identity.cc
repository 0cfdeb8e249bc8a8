#include "server/tls_identity.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"
#include "base/file.h"
#include "base/status_macros.h"
#include "jwt/openssl_util.h"

namespace signet::server {
namespace {

absl::StatusOr<std::string> ReadFlagFile(absl::string_view flag,
                                         const std::string& path) {
  if (path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " is required for a TLS listen address"));
  }
  absl::StatusOr<std::string> contents = ReadFile(path);
  if (!contents.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": ", contents.status().message()));
  }
  return contents;
}

// The first OpenSSL error, after draining the queue, so that no stale error
// is left for the next caller.
std::string OpenSslReason() {
  std::string reason = jwt::DrainOpenSslErrors();
  return reason.empty() ? "no PEM data" : reason;
}

}  // namespace

absl::StatusOr<TlsIdentity> LoadTlsIdentity(const std::string& certificate_path,
                                            const std::string& key_path) {
  TlsIdentity identity;
  SIGNET_ASSIGN_OR_RETURN(identity.certificate_chain,
                          ReadFlagFile("--tls_cert", certificate_path));
  SIGNET_ASSIGN_OR_RETURN(identity.private_key,
                          ReadFlagFile("--tls_key", key_path));

  jwt::UniqueX509 certificate(
      PEM_read_bio_X509(jwt::MemoryBio(identity.certificate_chain).get(),
                        nullptr, nullptr, nullptr));
  if (certificate == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_cert=", certificate_path,
                     " is not a PEM certificate: ", OpenSslReason()));
  }
  // A callback that declines, so that an encrypted key fails here instead of
  // OpenSSL asking for a passphrase on the terminal.
  auto no_passphrase = [](char*, int, int, void*) { return -1; };
  jwt::UniqueEvpPkey key(
      PEM_read_bio_PrivateKey(jwt::MemoryBio(identity.private_key).get(),
                              nullptr, no_passphrase, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls_key=", key_path,
        " is not an unencrypted PEM private key: ", OpenSslReason()));
  }
  if (X509_check_private_key(certificate.get(), key.get()) != 1) {
    OpenSslReason();
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_key=", key_path,
                     " does not belong to --tls_cert=", certificate_path));
  }
  return identity;
}

}  // namespace signet::server
