#include "jwt/openssl_util.h"

#include <openssl/err.h>

#include "absl/strings/str_cat.h"

namespace signet::jwt {

UniqueBio MemoryBio(absl::string_view data) {
  return UniqueBio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string DrainOpenSslErrors() {
  std::string first;
  while (unsigned long code = ERR_get_error()) {
    if (first.empty()) {
      char text[256];
      ERR_error_string_n(code, text, sizeof(text));
      first = text;
    }
  }
  return first;
}

absl::Status OpenSslError(absl::StatusCode code, absl::string_view what) {
  std::string reason = DrainOpenSslErrors();
  if (reason.empty()) return absl::Status(code, what);
  return absl::Status(code, absl::StrCat(what, ": ", reason));
}

}  // namespace signet::jwt
