#include "jwt/key_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/file.h"
#include "base/status_macros.h"
#include "jwt/jws.h"
#include "jwt/strict_json.h"
#include "nlohmann/json.hpp"

namespace signet::jwt {
namespace {

constexpr char kType[] = "service_account";

absl::StatusOr<std::string> Field(const nlohmann::json& file,
                                  const char* name) {
  auto field = file.find(name);
  if (field == file.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("key file: field \"", name, "\" is missing"));
  }
  if (!field->is_string() || field->get_ref<const std::string&>().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "key file: field \"", name, "\" is not a non-empty string"));
  }
  return field->get<std::string>();
}

// An account email: printable ASCII without spaces, with one '@' inside.
bool IsPlausibleEmail(absl::string_view email) {
  size_t at = email.find('@');
  if (at == 0 || at == absl::string_view::npos || at + 1 == email.size() ||
      email.find('@', at + 1) != absl::string_view::npos) {
    return false;
  }
  for (char c : email) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<KeyFile> ParseKeyFile(absl::string_view json) {
  absl::StatusOr<nlohmann::json> file =
      ParseStrictJsonObject(absl::StripAsciiWhitespace(json));
  if (!file.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("key file: ", file.status().message()));
  }

  SIGNET_ASSIGN_OR_RETURN(std::string type, Field(*file, "type"));
  if (type != kType) {
    return absl::InvalidArgumentError(absl::StrCat(
        "key file: field \"type\" is \"", type, "\", not \"", kType, "\""));
  }
  KeyFile key_file;
  SIGNET_ASSIGN_OR_RETURN(key_file.project_id, Field(*file, "project_id"));
  SIGNET_ASSIGN_OR_RETURN(key_file.private_key_id,
                          Field(*file, "private_key_id"));
  SIGNET_ASSIGN_OR_RETURN(key_file.private_key, Field(*file, "private_key"));
  SIGNET_ASSIGN_OR_RETURN(key_file.client_email, Field(*file, "client_email"));
  SIGNET_ASSIGN_OR_RETURN(key_file.client_id, Field(*file, "client_id"));
  SIGNET_ASSIGN_OR_RETURN(key_file.token_uri, Field(*file, "token_uri"));

  if (!IsValidKeyId(key_file.private_key_id)) {
    return absl::InvalidArgumentError(
        "key file: field \"private_key_id\" is not a key id verifiers accept");
  }
  if (!IsPlausibleEmail(key_file.client_email)) {
    return absl::InvalidArgumentError(
        "key file: field \"client_email\" is not an account email");
  }
  absl::StatusOr<PrivateKey> key = PrivateKey::FromPem(key_file.private_key);
  if (!key.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "key file: field \"private_key\": ", key.status().message()));
  }
  return key_file;
}

absl::StatusOr<KeyFile> ReadKeyFile(const std::string& path) {
  absl::StatusOr<std::string> contents = ReadFile(path);
  if (!contents.ok()) {
    return absl::Status(
        contents.status().code(),
        absl::StrCat("key file: ", contents.status().message()));
  }
  absl::StatusOr<KeyFile> key_file = ParseKeyFile(*contents);
  if (!key_file.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", key_file.status().message()));
  }
  return key_file;
}

std::string SerializeKeyFile(const KeyFile& key_file) {
  // ordered_json keeps the fields in the order Google's files use.
  nlohmann::ordered_json file = {{"type", kType},
                                 {"project_id", key_file.project_id},
                                 {"private_key_id", key_file.private_key_id},
                                 {"private_key", key_file.private_key},
                                 {"client_email", key_file.client_email},
                                 {"client_id", key_file.client_id},
                                 {"token_uri", key_file.token_uri}};
  return file.dump(2) + "\n";
}

absl::StatusOr<std::unique_ptr<Signer>> SignerFromKeyFile(
    const KeyFile& key_file, const Clock* clock) {
  SIGNET_ASSIGN_OR_RETURN(PrivateKey key,
                          PrivateKey::FromPem(key_file.private_key));
  return Signer::Create(std::move(key), key_file.private_key_id,
                        key_file.client_email, clock);
}

}  // namespace signet::jwt
