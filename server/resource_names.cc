#include "server/resource_names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "jwt/jws.h"

namespace signet::server {

bool IsValidAccountId(absl::string_view account_id) {
  if (account_id.size() < 6 || account_id.size() > 30) return false;
  if (!absl::ascii_islower(account_id.front()) || account_id.back() == '-') {
    return false;
  }
  for (char c : account_id) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') {
      return false;
    }
  }
  return true;
}

absl::StatusOr<std::string> ParseAccountName(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != "accounts" ||
      !IsValidAccountId(parts[1])) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", name,
                     "\" is not accounts/{account_id} with an account id of 6 "
                     "to 30 characters of a-z, 0-9 and -"));
  }
  return std::string(parts[1]);
}

absl::StatusOr<KeyName> ParseKeyName(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "accounts" || parts[2] != "keys" ||
      !IsValidAccountId(parts[1]) || !jwt::IsValidKeyId(parts[3])) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", name, "\" is not accounts/{account_id}/keys/{key_id}"));
  }
  return KeyName{std::string(parts[1]), std::string(parts[3])};
}

std::string AccountName(absl::string_view account_id) {
  return absl::StrCat("accounts/", account_id);
}

std::string KeyResourceName(absl::string_view account_id,
                            absl::string_view key_id) {
  return absl::StrCat("accounts/", account_id, "/keys/", key_id);
}

}  // namespace signet::server
