#include "verifier/call_verifier.h"

#include "absl/strings/match.h"
#include "base/erase_minimum.h"

namespace signet::verifier {
namespace {

constexpr char kAuthorization[] = "authorization";
constexpr absl::string_view kBearer = "Bearer ";

}  // namespace

absl::StatusOr<absl::string_view> BearerToken(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  auto [first, last] = metadata.equal_range(kAuthorization);
  if (first == last) return absl::string_view();
  if (std::next(first) != last) {
    return absl::InvalidArgumentError("more than one authorization entry");
  }
  absl::string_view value(first->second.data(), first->second.size());
  if (value.size() <= kBearer.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kBearer.size()), kBearer)) {
    return absl::InvalidArgumentError("authorization is not Bearer <token>");
  }
  return value.substr(kBearer.size());
}

CallVerifier::CallVerifier(std::shared_ptr<const jwt::Verifier> verifier,
                           absl::Duration max_remember, size_t max_tokens,
                           const Clock* clock)
    : verifier_(std::move(verifier)),
      max_tokens_(max_tokens),
      clock_(clock),
      max_remember_(max_remember) {}

absl::StatusOr<CallerIdentity> CallVerifier::Verify(absl::string_view token) {
  uint64_t generation;
  {
    absl::MutexLock lock(&mutex_);
    auto found = verified_.find(token);
    if (found != verified_.end()) {
      if (clock_->Now() < found->second.forget_at) {
        return found->second.identity;
      }
      verified_.erase(found);
    }
    generation = generation_;
  }

  absl::StatusOr<jwt::VerifiedToken> verified = verifier_->Verify(token);
  if (!verified.ok()) return verified.status();
  CallerIdentity identity{verified->account_email(), verified->key_id(),
                          verified->expires_at()};

  absl::MutexLock lock(&mutex_);
  // A key served stale stands in for the source for this call only: the
  // next call with the token asks again.
  if (generation == generation_ && !verified->key_was_stale()) {
    if (verified_.size() >= max_tokens_) {
      EraseMinimum(verified_, [](const Remembered& remembered) {
        return remembered.forget_at;
      });
    }
    // Not past the token's expiry, nor the end of its key's validity
    // (which no change notice announces), nor max_remember.
    absl::Time forget_at =
        std::min({identity.expires_at, verified->key_valid_until(),
                  clock_->Now() + max_remember_});
    verified_.emplace(std::string(token), Remembered{identity, forget_at});
  }
  return identity;
}

std::optional<CallerIdentity> CallVerifier::CallerOf(
    const grpc::ServerContextBase& context) {
  absl::StatusOr<absl::string_view> token =
      BearerToken(context.client_metadata());
  if (!token.ok() || token->empty()) return std::nullopt;
  absl::StatusOr<CallerIdentity> identity = Verify(*token);
  if (!identity.ok()) return std::nullopt;
  return *identity;
}

void CallVerifier::ForgetKey(absl::string_view key_id) {
  absl::MutexLock lock(&mutex_);
  ++generation_;
  absl::erase_if(verified_, [&](const auto& entry) {
    return entry.second.identity.key_id == key_id;
  });
}

void CallVerifier::ForgetAccount(absl::string_view account_email) {
  absl::MutexLock lock(&mutex_);
  ++generation_;
  absl::erase_if(verified_, [&](const auto& entry) {
    return entry.second.identity.account_email == account_email;
  });
}

void CallVerifier::ForgetAll() {
  absl::MutexLock lock(&mutex_);
  ++generation_;
  verified_.clear();
}

}  // namespace signet::verifier
