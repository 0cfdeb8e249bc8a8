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
                                       TokenAuthOptions options)
    : verifier_(std::move(verifier)),
      policy_(std::move(options.policy)),
      blocking_(options.blocking),
      observer_(std::move(options.observer)) {
  if (options.refusal_log_per_second > 0) {
    refusals_.emplace(options.refusal_log_per_second);
  }
}

// Counts, reports and logs one decision: `refusal` is OK for a call let in
// and otherwise says why it was refused.
grpc::Status TokenAuthProcessor::Decide(absl::string_view method,
                                        absl::string_view account,
                                        const absl::Status& refusal) {
  std::string outcome;
  if (refusal.ok()) {
    outcome = account.empty() ? "open" : "allowed";
  } else {
    std::optional<jwt::Reason> reason = jwt::ReasonOf(refusal);
    outcome =
        reason.has_value() ? std::string(jwt::ReasonName(*reason)) : "other";
  }
  counters_.Count(outcome);
  grpc::Status answer =
      refusal.ok() ? grpc::Status::OK : ClientStatusFor(refusal);
  // The method and much of a refusal's detail come from the caller, so
  // they are made safe to print, but only when something will print them:
  // most calls are let in, with no observer.
  bool logged = !refusal.ok() && refusals_.has_value();
  if (observer_ == nullptr && !logged) return answer;
  std::string detail = SafeToPrint(refusal.message());
  if (observer_ != nullptr) {
    observer_->OnDecision(Decision{
        SafeToPrint(method), static_cast<absl::StatusCode>(answer.error_code()),
        outcome, account, detail});
  }
  if (logged) refusals_->Log(outcome, detail);
  return answer;
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
    // Several authorization entries, or another scheme: a credential was
    // sent, and it is malformed.
    return Decide(
        method, "",
        jwt::Refusal(jwt::Reason::kTokenMalformed, token.status().message()));
  }
  if (token->empty()) {
    if (rule.kind == AccessRule::Kind::kOpen) {
      return Decide(method, "", absl::OkStatus());
    }
    return Decide(method, "",
                  jwt::Refusal(jwt::Reason::kTokenMissing,
                               absl::StrCat("no token for ", method)));
  }

  absl::StatusOr<CallerIdentity> caller = verifier_->Verify(*token);
  if (!caller.ok()) return Decide(method, "", caller.status());
  if (!AccessPolicy::Allows(rule, caller->account_email)) {
    return Decide(method, caller->account_email,
                  jwt::Refusal(jwt::Reason::kPermissionDenied,
                               absl::StrCat(caller->account_email,
                                            " may not call ", method)));
  }
  return Decide(method, caller->account_email, absl::OkStatus());
}

}  // namespace signet::verifier
