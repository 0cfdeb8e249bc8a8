#include "jwt/claims.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "jwt/reason.h"
#include "jwt/strict_json.h"

namespace signet::jwt {
namespace {

// 9999-12-31T23:59:59Z: no honest token names a later time, and the bound
// keeps every later computation far from overflow.
constexpr int64_t kLatestTime = 253402300799;

absl::StatusOr<std::string> StringClaim(const nlohmann::json& claims,
                                        const char* name) {
  auto claim = claims.find(name);
  if (claim == claims.end() || !claim->is_string()) {
    return Refusal(Reason::kBadClaimType,
                   absl::StrCat(name, " is missing or not a string"));
  }
  return claim->get<std::string>();
}

absl::StatusOr<absl::Time> TimeClaim(const nlohmann::json& value,
                                     const char* name) {
  // nlohmann keeps 1.0 and 1e3 as floating point, so they fail here.
  if (!value.is_number_integer()) {
    return Refusal(Reason::kBadClaimType,
                   absl::StrCat(name, " is not an integer"));
  }
  if (value.is_number_unsigned()
          ? value.get<uint64_t>() > static_cast<uint64_t>(kLatestTime)
          : (value.get<int64_t>() < 0 || value.get<int64_t>() > kLatestTime)) {
    return Refusal(Reason::kBadClaimType,
                   absl::StrCat(name, " is outside 0 to year 9999"));
  }
  return absl::FromUnixSeconds(value.get<int64_t>());
}

absl::StatusOr<absl::Time> RequiredTimeClaim(const nlohmann::json& claims,
                                             const char* name) {
  auto claim = claims.find(name);
  if (claim == claims.end()) {
    return Refusal(Reason::kBadClaimType, absl::StrCat(name, " is missing"));
  }
  return TimeClaim(*claim, name);
}

absl::StatusOr<std::vector<std::string>> AudienceClaim(
    const nlohmann::json& claims) {
  auto aud = claims.find("aud");
  if (aud == claims.end()) {
    return Refusal(Reason::kBadClaimType, "aud is missing");
  }
  if (aud->is_string())
    return std::vector<std::string>{aud->get<std::string>()};
  if (!aud->is_array() || aud->empty()) {
    return Refusal(Reason::kBadClaimType,
                   "aud is not a string or a non-empty array");
  }
  std::vector<std::string> audiences;
  for (const nlohmann::json& entry : *aud) {
    if (!entry.is_string()) {
      return Refusal(Reason::kBadClaimType, "aud has a non-string entry");
    }
    audiences.push_back(entry.get<std::string>());
  }
  return audiences;
}

}  // namespace

absl::StatusOr<Claims> ParseClaims(absl::string_view payload) {
  absl::StatusOr<nlohmann::json> json = ParseStrictJsonObject(payload);
  if (!json.ok()) {
    return Refusal(Reason::kBadClaims,
                   absl::StrCat("claims: ", json.status().message()));
  }

  Claims claims;
  SIGNET_ASSIGN_OR_RETURN(claims.issuer, StringClaim(*json, "iss"));
  SIGNET_ASSIGN_OR_RETURN(claims.subject, StringClaim(*json, "sub"));
  SIGNET_ASSIGN_OR_RETURN(claims.audiences, AudienceClaim(*json));
  SIGNET_ASSIGN_OR_RETURN(claims.issued_at, RequiredTimeClaim(*json, "iat"));
  SIGNET_ASSIGN_OR_RETURN(claims.expires_at, RequiredTimeClaim(*json, "exp"));
  if (auto nbf = json->find("nbf"); nbf != json->end()) {
    SIGNET_ASSIGN_OR_RETURN(claims.not_before, TimeClaim(*nbf, "nbf"));
  }
  if (auto jti = json->find("jti"); jti != json->end()) {
    if (!jti->is_string()) {
      return Refusal(Reason::kBadClaimType, "jti is not a string");
    }
    claims.jwt_id = jti->get<std::string>();
  }
  claims.all = *std::move(json);
  return claims;
}

absl::StatusOr<std::string> CheckClaims(const Claims& claims,
                                        absl::string_view account_email,
                                        const ClaimsPolicy& policy,
                                        absl::Time now) {
  if (claims.issuer != claims.subject || claims.issuer != account_email) {
    return Refusal(Reason::kWrongIssuer,
                   "iss and sub are not both the key's account");
  }

  auto match =
      std::find_first_of(claims.audiences.begin(), claims.audiences.end(),
                         policy.audiences.begin(), policy.audiences.end());
  if (match == claims.audiences.end()) {
    return Refusal(Reason::kWrongAudience, "no audience of this verifier");
  }

  if (now >= claims.expires_at + policy.leeway) {
    return Refusal(Reason::kExpired, "expired");
  }
  if (claims.not_before.has_value() &&
      *claims.not_before > now + policy.leeway) {
    return Refusal(Reason::kNotYetValid, "nbf is in the future");
  }
  if (claims.issued_at > now + policy.leeway) {
    return Refusal(Reason::kIssuedInFuture, "iat is in the future");
  }
  if (claims.expires_at <= claims.issued_at) {
    return Refusal(Reason::kBadLifetime, "exp is not after iat");
  }
  if (claims.expires_at - claims.issued_at > policy.max_lifetime) {
    return Refusal(Reason::kLifetimeTooLong,
                   absl::StrCat("lifetime over ",
                                absl::FormatDuration(policy.max_lifetime)));
  }
  return *match;
}

}  // namespace signet::jwt
