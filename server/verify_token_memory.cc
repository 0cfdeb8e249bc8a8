#include "server/verify_token_memory.h"

#include "base/status_macros.h"
#include "jwt/verifier.h"

namespace signet::server {

VerifyTokenMemory::VerifyTokenMemory(std::shared_ptr<jwt::KeySource> keys,
                                     absl::Duration max_remember)
    : keys_(std::move(keys)), max_remember_(max_remember) {}

absl::StatusOr<verifier::CallerIdentity> VerifyTokenMemory::Verify(
    absl::string_view audience, absl::string_view token) {
  SIGNET_ASSIGN_OR_RETURN(std::shared_ptr<verifier::CallVerifier> callers,
                          For(audience));
  return callers->Verify(token);
}

absl::StatusOr<std::shared_ptr<verifier::CallVerifier>> VerifyTokenMemory::For(
    absl::string_view audience) {
  absl::MutexLock lock(&mutex_);
  auto found = by_audience_.find(audience);
  if (found != by_audience_.end()) return found->second;

  jwt::VerifierOptions options;
  options.audiences = {std::string(audience)};
  SIGNET_ASSIGN_OR_RETURN(std::unique_ptr<jwt::Verifier> verifier,
                          jwt::Verifier::Create(options, keys_));
  // Callers choose the audiences: past the bound, start over rather than
  // grow.
  if (by_audience_.size() >= kMaxAudiences) by_audience_.clear();
  auto callers = std::make_shared<verifier::CallVerifier>(
      std::move(verifier), max_remember_, kMaxTokensPerAudience);
  by_audience_.emplace(audience, callers);
  return callers;
}

void VerifyTokenMemory::Apply(const verifier::StoreChange& change) {
  absl::MutexLock lock(&mutex_);
  for (auto& [audience, callers] : by_audience_) {
    verifier::ForgetChanged(change, *callers);
  }
}

void VerifyTokenMemory::ForgetAll() {
  absl::MutexLock lock(&mutex_);
  by_audience_.clear();
}

}  // namespace signet::server
