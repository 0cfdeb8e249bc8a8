#include "jwt/reason.h"

#include "absl/strings/cord.h"

namespace signet::jwt {
namespace {

constexpr char kReasonPayloadUrl[] = "type.signet/signet.jwt.Reason";

constexpr struct {
  Reason reason;
  absl::string_view name;
} kNames[] = {
    {Reason::kTokenMissing, "token_missing"},
    {Reason::kTokenTooLarge, "token_too_large"},
    {Reason::kTokenMalformed, "token_malformed"},
    {Reason::kBadBase64, "bad_base64"},
    {Reason::kBadHeader, "bad_header"},
    {Reason::kHeaderMember, "header_member"},
    {Reason::kBadType, "bad_type"},
    {Reason::kBadKeyId, "bad_key_id"},
    {Reason::kBadAlgorithm, "bad_algorithm"},
    {Reason::kUnknownKey, "unknown_key"},
    {Reason::kKeyDisabled, "key_disabled"},
    {Reason::kKeyNotYetValid, "key_not_yet_valid"},
    {Reason::kKeyExpired, "key_expired"},
    {Reason::kAccountDisabled, "account_disabled"},
    {Reason::kAlgorithmMismatch, "algorithm_mismatch"},
    {Reason::kBadSignature, "bad_signature"},
    {Reason::kBadClaims, "bad_claims"},
    {Reason::kBadClaimType, "bad_claim_type"},
    {Reason::kWrongIssuer, "wrong_issuer"},
    {Reason::kWrongAudience, "wrong_audience"},
    {Reason::kExpired, "expired"},
    {Reason::kNotYetValid, "not_yet_valid"},
    {Reason::kIssuedInFuture, "issued_in_future"},
    {Reason::kLifetimeTooLong, "lifetime_too_long"},
    {Reason::kBadLifetime, "bad_lifetime"},
    {Reason::kKeySourceUnavailable, "key_source_unavailable"},
    {Reason::kPermissionDenied, "permission_denied"},
};

}  // namespace

absl::string_view ReasonName(Reason reason) {
  for (const auto& entry : kNames) {
    if (entry.reason == reason) return entry.name;
  }
  return "unknown";
}

absl::Status Refusal(Reason reason, absl::string_view detail) {
  absl::StatusCode code = absl::StatusCode::kUnauthenticated;
  if (reason == Reason::kKeySourceUnavailable) {
    code = absl::StatusCode::kUnavailable;
  } else if (reason == Reason::kPermissionDenied) {
    code = absl::StatusCode::kPermissionDenied;
  }
  absl::Status status(code, detail);
  status.SetPayload(kReasonPayloadUrl, absl::Cord(ReasonName(reason)));
  return status;
}

std::optional<Reason> ReasonOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kReasonPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  for (const auto& entry : kNames) {
    if (*payload == entry.name) return entry.reason;
  }
  return std::nullopt;
}

}  // namespace signet::jwt
