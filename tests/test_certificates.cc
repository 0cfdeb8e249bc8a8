#include "tests/test_certificates.h"

#include <stdlib.h>

#include "absl/strings/str_cat.h"
#include "tests/subprocess.h"

namespace signet::testing {

absl::StatusOr<TestCertificate> MakeSelfSignedCertificate(
    const std::string& directory) {
  TestCertificate certificate{absl::StrCat(directory, "/tls_cert.pem"),
                              absl::StrCat(directory, "/tls_key.pem")};
  absl::StatusOr<CommandResult> made = RunCommand(
      {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
       "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj",
       "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
       "-keyout", certificate.key_path, "-out", certificate.certificate_path});
  if (!made.ok()) return made.status();
  if (made->exit_code != 0) {
    return absl::InternalError(
        absl::StrCat("openssl req failed:\n", made->output));
  }
  return certificate;
}

std::string MakeShortTempDirectory() {
  char path[] = "/tmp/signet-test.XXXXXX";
  if (mkdtemp(path) == nullptr) abort();
  return path;
}

}  // namespace signet::testing
