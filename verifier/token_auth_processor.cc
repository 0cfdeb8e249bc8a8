#include "verifier/token_auth_processor.h"

#include "absl/strings/str_cat.h"
#include "jwt/reason.h"

namespace signet::verifier {
namespace {

// Clients learn nothing from a refusal beyond its code.
grpc::Status ClientStatusFor(const absl::Status& refusal) {
  if (refusal.code() == absl::StatusCode::kUnavailable) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "credential check unavailable");
  }
  if (refusal.code() == absl::StatusCode::kPermissionDenied) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "permission denied");
  }
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "invalid credential");
}

}  // namespace

TokenAuthProcessor::TokenAuthProcessor(std::shared_ptr<CallVerifier> verifier,
                                       AccessPolicy policy)
    : verifier_(std::move(verifier)), policy_(std::move(policy)) {}

grpc::Status TokenAuthProcessor::Refuse(const absl::Status& refusal) {
  std::optional<jwt::Reason> reason = jwt::ReasonOf(refusal);
  counters_.Count(reason.has_value() ? jwt::ReasonName(*reason) : "other");
  refusals_.Log(refusal);
  return ClientStatusFor(refusal);
}

grpc::Status TokenAuthProcessor::Process(const InputMetadata& auth_metadata,
                                         grpc::AuthContext* /*context*/,
                                         OutputMetadata* /*consumed*/,
                                         OutputMetadata* /*response*/) {
  auto path = auth_metadata.find(":path");
  absl::string_view method =
      path == auth_metadata.end()
          ? absl::string_view()
          : absl::string_view(path->second.data(), path->second.size());
  const AccessRule& rule = policy_.RuleFor(method);

  absl::StatusOr<absl::string_view> token = BearerToken(auth_metadata);
  if (!token.ok()) {
    return Refuse(
        jwt::Refusal(jwt::Reason::kTokenMissing, token.status().message()));
  }
  if (token->empty()) {
    if (rule.kind == AccessRule::Kind::kOpen) {
      counters_.Count("open");
      return grpc::Status::OK;
    }
    return Refuse(jwt::Refusal(jwt::Reason::kTokenMissing,
                               absl::StrCat("no token for ", method)));
  }

  absl::StatusOr<CallerIdentity> caller = verifier_->Verify(*token);
  if (!caller.ok()) return Refuse(caller.status());
  if (!AccessPolicy::Allows(rule, caller->account_email)) {
    return Refuse(jwt::Refusal(
        jwt::Reason::kPermissionDenied,
        absl::StrCat(caller->account_email, " may not call ", method)));
  }
  counters_.Count("allowed");
  return grpc::Status::OK;
}

}  // namespace signet::verifier
