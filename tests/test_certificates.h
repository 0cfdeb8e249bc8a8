#ifndef SIGNET_TESTS_TEST_CERTIFICATES_H_
#define SIGNET_TESTS_TEST_CERTIFICATES_H_

#include <string>

#include "absl/status/statusor.h"

namespace signet::testing {

struct TestCertificate {
  std::string certificate_path;  // PEM, self-signed, also the CA to trust
  std::string key_path;          // PEM, unencrypted P-256 key
};

// Writes a self-signed certificate for "localhost" and 127.0.0.1, valid for
// one day from now, into `directory`, with the openssl command.
absl::StatusOr<TestCertificate> MakeSelfSignedCertificate(
    const std::string& directory);

// A new directory under /tmp, short enough for unix socket paths, which
// Bazel's own test directories are not.
std::string MakeShortTempDirectory();

}  // namespace signet::testing

#endif  // SIGNET_TESTS_TEST_CERTIFICATES_H_
