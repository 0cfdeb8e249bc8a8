#include "jwt/verifier.h"

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "jwt/jws.h"
#include "jwt/reason.h"

namespace signet::jwt {

absl::StatusOr<std::unique_ptr<Verifier>> Verifier::Create(
    VerifierOptions options, std::shared_ptr<KeySource> keys) {
  if (options.audiences.empty()) {
    return absl::InvalidArgumentError("a verifier needs at least one audience");
  }
  if (options.leeway < absl::ZeroDuration() || options.leeway > kMaxLeeway) {
    return absl::InvalidArgumentError(
        absl::StrCat("leeway ", absl::FormatDuration(options.leeway),
                     " is not within 0 to ", absl::FormatDuration(kMaxLeeway)));
  }
  if (options.max_lifetime <= absl::ZeroDuration() ||
      options.max_lifetime > kMaxLifetime) {
    return absl::InvalidArgumentError(absl::StrCat(
        "maximum lifetime ", absl::FormatDuration(options.max_lifetime),
        " is not within 1s to ", absl::FormatDuration(kMaxLifetime)));
  }
  if (keys == nullptr || options.clock == nullptr) {
    return absl::InvalidArgumentError("a verifier needs keys and a clock");
  }
  return std::unique_ptr<Verifier>(
      new Verifier(std::move(options), std::move(keys)));
}

Verifier::Verifier(VerifierOptions options, std::shared_ptr<KeySource> keys)
    : options_(std::move(options)),
      policy_{options_.audiences, options_.leeway, options_.max_lifetime},
      keys_(std::move(keys)) {}

absl::StatusOr<std::shared_ptr<const KeyRecord>> Verifier::UsableKey(
    const std::string& key_id, absl::Time now) const {
  absl::StatusOr<std::shared_ptr<const KeyRecord>> record =
      keys_->FindKey(key_id);
  if (absl::IsNotFound(record.status())) {
    return Refusal(Reason::kUnknownKey, absl::StrCat("no key ", key_id));
  }
  if (!record.ok()) {
    return Refusal(
        Reason::kKeySourceUnavailable,
        absl::StrCat("key ", key_id, ": ", record.status().message()));
  }

  const KeyRecord& key = **record;
  if (key.key_disabled) {
    return Refusal(Reason::kKeyDisabled, absl::StrCat("key ", key_id));
  }
  if (key.account_disabled) {
    return Refusal(Reason::kAccountDisabled,
                   absl::StrCat("account ", key.account_email));
  }
  if (key.validity.not_before.has_value() && now < *key.validity.not_before) {
    return Refusal(Reason::kKeyNotYetValid, absl::StrCat("key ", key_id));
  }
  if (key.validity.not_after.has_value() && now >= *key.validity.not_after) {
    return Refusal(Reason::kKeyExpired, absl::StrCat("key ", key_id));
  }
  return record;
}

absl::StatusOr<VerifiedToken> Verifier::Verify(absl::string_view token) const {
  SIGNET_ASSIGN_OR_RETURN(UnverifiedJws jws,
                          UnverifiedJws::Parse(token, options_.padding));

  absl::Time now = options_.clock->Now();
  SIGNET_ASSIGN_OR_RETURN(std::shared_ptr<const KeyRecord> key,
                          UsableKey(jws.key_id(), now));
  SIGNET_RETURN_IF_ERROR(jws.VerifySignature(key->key));

  SIGNET_ASSIGN_OR_RETURN(Claims claims, ParseClaims(jws.payload()));
  SIGNET_ASSIGN_OR_RETURN(
      std::string audience,
      CheckClaims(claims, key->account_email, policy_, now));

  VerifiedToken verified;
  verified.account_email_ = key->account_email;
  verified.key_id_ = jws.key_id();
  verified.key_was_stale_ = key->stale;
  if (key->validity.not_after.has_value()) {
    verified.key_valid_until_ = *key->validity.not_after;
  }
  verified.audience_ = std::move(audience);
  verified.issued_at_ = claims.issued_at;
  verified.expires_at_ = claims.expires_at;
  verified.claims_ = std::move(claims.all);
  return verified;
}

}  // namespace signet::jwt
