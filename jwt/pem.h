#ifndef SIGNET_JWT_PEM_H_
#define SIGNET_JWT_PEM_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace signet::jwt {

struct PemBlock {
  std::string label;  // "PUBLIC KEY", "CERTIFICATE", "PRIVATE KEY", ...
  std::string der;
};

// Reads exactly one PEM block with nothing but whitespace before or after
// it. OpenSSL alone would skip text before the block and ignore text after
// it; signet refuses both, and encrypted (header-carrying) blocks too.
// INVALID_ARGUMENT says which rule was broken, and names the common mistake
// of a PEM whose line breaks were written as the two characters `\n`.
absl::StatusOr<PemBlock> ReadSinglePemBlock(absl::string_view text);

}  // namespace signet::jwt

#endif  // SIGNET_JWT_PEM_H_
