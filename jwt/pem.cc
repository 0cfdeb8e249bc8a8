#include "jwt/pem.h"

#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "jwt/openssl_util.h"

namespace signet::jwt {
namespace {

struct PemParts {
  char* label = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long length = 0;

  ~PemParts() {
    OPENSSL_free(label);
    OPENSSL_free(header);
    OPENSSL_free(data);
  }
};

}  // namespace

absl::StatusOr<PemBlock> ReadSinglePemBlock(absl::string_view text) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  if (!absl::StartsWith(trimmed, "-----BEGIN ")) {
    return absl::InvalidArgumentError("not PEM: no -----BEGIN line first");
  }
  if (absl::StrContains(trimmed, "\\n")) {
    return absl::InvalidArgumentError(
        "the PEM has literal \\n sequences instead of line breaks");
  }

  UniqueBio bio = MemoryBio(trimmed);
  PemParts parts;
  if (PEM_read_bio(bio.get(), &parts.label, &parts.header, &parts.data,
                   &parts.length) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "malformed PEM");
  }
  if (parts.header != nullptr && parts.header[0] != '\0') {
    return absl::InvalidArgumentError(
        "the PEM block has headers (encrypted PEM is not accepted)");
  }

  char rest[64];
  int left = BIO_read(bio.get(), rest, sizeof(rest));
  if (left > 0 &&
      !absl::StripAsciiWhitespace(absl::string_view(rest, left)).empty()) {
    return absl::InvalidArgumentError("text after the PEM block");
  }
  DrainOpenSslErrors();  // BIO_read at the end may leave an EOF note
  return PemBlock{parts.label, std::string(reinterpret_cast<char*>(parts.data),
                                           static_cast<size_t>(parts.length))};
}

}  // namespace signet::jwt
