#ifndef SIGNET_JWT_BASE64URL_H_
#define SIGNET_JWT_BASE64URL_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace signet::jwt {

// base64url without padding (RFC 7515, section 2).
std::string Base64UrlEncode(absl::string_view data);

// Decodes base64url strictly, so that each byte string has exactly one
// spelling: only A-Z a-z 0-9 - _, no padding, no whitespace, a length that is
// not 1 mod 4, and zero bits in the unused low bits of the last character.
// Returns nullopt for anything else.
std::optional<std::string> Base64UrlDecode(absl::string_view text);

}  // namespace signet::jwt

#endif  // SIGNET_JWT_BASE64URL_H_
