#ifndef SIGNET_SERVER_RESOURCE_NAMES_H_
#define SIGNET_SERVER_RESOURCE_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace signet::server {

// Whether `account_id` is 6 to 30 characters of [a-z0-9-], starting with a
// letter and not ending with a hyphen.
bool IsValidAccountId(absl::string_view account_id);

// "accounts/{account_id}" -> account_id; INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> ParseAccountName(absl::string_view name);

struct KeyName {
  std::string account_id;
  std::string key_id;
};

// "accounts/{account_id}/keys/{key_id}"; INVALID_ARGUMENT otherwise.
absl::StatusOr<KeyName> ParseKeyName(absl::string_view name);

std::string AccountName(absl::string_view account_id);
std::string KeyResourceName(absl::string_view account_id,
                            absl::string_view key_id);

}  // namespace signet::server

#endif  // SIGNET_SERVER_RESOURCE_NAMES_H_
