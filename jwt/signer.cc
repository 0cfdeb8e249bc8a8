#include "jwt/signer.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "jwt/base64url.h"
#include "jwt/jws.h"
#include "nlohmann/json.hpp"

namespace signet::jwt {
absl::StatusOr<std::unique_ptr<Signer>> Signer::Create(
    PrivateKey key, std::string key_id, std::string account_email,
    const Clock* clock) {
  if (!IsValidKeyId(key_id)) {
    return absl::InvalidArgumentError(
        "the key id is empty, too long, or has characters verifiers refuse");
  }
  if (account_email.empty()) {
    return absl::InvalidArgumentError("the account email is empty");
  }
  try {
    (void)nlohmann::json(account_email).dump();
  } catch (const nlohmann::json::exception&) {
    return absl::InvalidArgumentError("the account email is not valid UTF-8");
  }
  if (clock == nullptr) return absl::InvalidArgumentError("no clock");
  return std::unique_ptr<Signer>(new Signer(std::move(key), std::move(key_id),
                                            std::move(account_email), clock));
}

Signer::Signer(PrivateKey key, std::string key_id, std::string account_email,
               const Clock* clock)
    : key_(std::move(key)),
      key_id_(std::move(key_id)),
      account_email_(std::move(account_email)),
      clock_(clock) {
  // The header never changes, so it is encoded once.
  nlohmann::json header = {
      {"alg", std::string(AlgorithmName(key_.algorithm()))},
      {"kid", key_id_},
      {"typ", "JWT"}};
  encoded_header_ = Base64UrlEncode(header.dump());
}

absl::StatusOr<SignedToken> Signer::Sign(absl::string_view audience,
                                         absl::Duration lifetime) const {
  // Whole seconds below: anything under one would make exp equal iat.
  if (lifetime < absl::Seconds(1) || lifetime > kMaxLifetime) {
    return absl::InvalidArgumentError(absl::StrCat(
        "token lifetime ", absl::FormatDuration(lifetime),
        " is not within 1s to ", absl::FormatDuration(kMaxLifetime)));
  }
  if (audience.empty()) return absl::InvalidArgumentError("empty audience");

  // Whole seconds: iat and exp are integers.
  absl::Time now = absl::FromUnixSeconds(absl::ToUnixSeconds(clock_->Now()));
  SignedToken signed_token{"", now,
                           now + absl::Seconds(absl::ToInt64Seconds(lifetime))};
  nlohmann::json claims = {
      {"iss", account_email_},
      {"sub", account_email_},
      {"aud", std::string(audience)},
      {"iat", absl::ToUnixSeconds(signed_token.issued_at)},
      {"exp", absl::ToUnixSeconds(signed_token.expires_at)}};

  std::string claims_json;
  try {
    claims_json = claims.dump();
  } catch (const nlohmann::json::exception&) {
    return absl::InvalidArgumentError("the audience is not valid UTF-8");
  }
  std::string signing_input =
      absl::StrCat(encoded_header_, ".", Base64UrlEncode(claims_json));
  SIGNET_ASSIGN_OR_RETURN(std::string signature, key_.Sign(signing_input));
  signed_token.token =
      absl::StrCat(signing_input, ".", Base64UrlEncode(signature));
  if (signed_token.token.size() > kMaxTokenSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the token would be ", signed_token.token.size(),
        " bytes, over the cap of ", kMaxTokenSize, "; shorten the audience"));
  }
  return signed_token;
}

}  // namespace signet::jwt
