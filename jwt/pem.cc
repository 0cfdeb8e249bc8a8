#include "jwt/pem.h"

#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "jwt/crypto_compat.h"
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
  if (absl::StrContains(trimmed, "\\n")) {
    return absl::InvalidArgumentError(
        "the PEM has literal \\n sequences instead of line breaks");
  }
  // OpenSSL skips any lines before a block it can read, including a broken
  // BEGIN line; the first line must be the block's own BEGIN line.
  absl::string_view first_line = trimmed.substr(0, trimmed.find('\n'));
  absl::ConsumeSuffix(&first_line, "\r");
  if (!absl::StartsWith(first_line, "-----BEGIN ") ||
      !absl::EndsWith(first_line, "-----")) {
    return absl::InvalidArgumentError("not PEM: no -----BEGIN line first");
  }

  UniqueBio bio = MemoryBio(trimmed);
  PemParts parts;
  if (PEM_read_bio(bio.get(), &parts.label, &parts.header, &parts.data,
                   &parts.length) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "malformed PEM");
  }
  if (first_line != absl::StrCat("-----BEGIN ", parts.label, "-----")) {
    return absl::InvalidArgumentError("not PEM: no -----BEGIN line first");
  }
  if (parts.header != nullptr && parts.header[0] != '\0') {
    return absl::InvalidArgumentError(
        "the PEM block has headers (encrypted PEM is not accepted)");
  }

  // Everything after the END line must be whitespace (the trimming above
  // removed it all, so in fact nothing may be left).
  std::string rest = BioContents(bio.get());
  if (!absl::StripAsciiWhitespace(rest).empty()) {
    return absl::InvalidArgumentError("text after the PEM block");
  }
  DrainOpenSslErrors();
  return PemBlock{parts.label, std::string(reinterpret_cast<char*>(parts.data),
                                           static_cast<size_t>(parts.length))};
}

}  // namespace signet::jwt
