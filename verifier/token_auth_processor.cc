#include "verifier/token_auth_processor.h"

#include "jwt/reason.h"

namespace signet::verifier {
namespace {

// Clients learn nothing from a refusal beyond its code.
grpc::Status ClientStatusFor(const absl::Status& refusal) {
  if (refusal.code() == absl::StatusCode::kUnavailable) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "credential check unavailable");
  }
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "invalid credential");
}

}  // namespace

TokenAuthProcessor::TokenAuthProcessor(std::shared_ptr<CallVerifier> verifier)
    : verifier_(std::move(verifier)) {}

grpc::Status TokenAuthProcessor::Process(const InputMetadata& auth_metadata,
                                         grpc::AuthContext* /*context*/,
                                         OutputMetadata* /*consumed*/,
                                         OutputMetadata* /*response*/) {
  absl::StatusOr<absl::string_view> token = BearerToken(auth_metadata);
  if (!token.ok()) {
    absl::Status refusal =
        jwt::Refusal(jwt::Reason::kTokenMissing, token.status().message());
    refusals_.Log(refusal);
    return ClientStatusFor(refusal);
  }
  if (token->empty()) return grpc::Status::OK;  // the service decides

  absl::StatusOr<CallerIdentity> caller = verifier_->Verify(*token);
  if (!caller.ok()) {
    refusals_.Log(caller.status());
    return ClientStatusFor(caller.status());
  }
  return grpc::Status::OK;
}

}  // namespace signet::verifier
