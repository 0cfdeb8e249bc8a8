#include "bench/verify_token_calls.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace signet::bench {
namespace {

std::string AudienceOf(int64_t number) {
  return absl::StrFormat("https://verified.bench/%08d", number);
}

// Signs tokens [begin, end) of `tokens`, numbered from `first`; the first
// failure, if any, in `status`.
void SignRange(const jwt::Signer& signer, int64_t first, size_t begin,
               size_t end, std::vector<TokenToVerify>& tokens,
               absl::Status& status) {
  for (size_t i = begin; i < end; ++i) {
    std::string audience = AudienceOf(first + static_cast<int64_t>(i));
    absl::StatusOr<jwt::SignedToken> signed_token = signer.Sign(audience);
    if (!signed_token.ok()) {
      status = signed_token.status();
      return;
    }
    tokens[i] = {std::move(signed_token->token), std::move(audience)};
  }
}

}  // namespace

absl::StatusOr<std::vector<TokenToVerify>> SignTokens(const jwt::Signer& signer,
                                                      int64_t first,
                                                      int64_t count,
                                                      int threads) {
  threads = std::max(1, threads);
  std::vector<TokenToVerify> tokens(count);
  std::vector<absl::Status> statuses(threads);
  std::vector<std::thread> signers;
  size_t share = (tokens.size() + threads - 1) / threads;
  for (int t = 0; t < threads; ++t) {
    size_t begin = std::min(tokens.size(), t * share);
    size_t end = std::min(tokens.size(), begin + share);
    signers.emplace_back(SignRange, std::cref(signer), first, begin, end,
                         std::ref(tokens), std::ref(statuses[t]));
  }
  for (std::thread& thread : signers) thread.join();
  for (const absl::Status& status : statuses) {
    if (!status.ok()) return status;
  }
  return tokens;
}

TokenSupply::TokenSupply(std::vector<TokenToVerify> tokens, Use use)
    : tokens_(std::move(tokens)), use_(use) {}

const TokenToVerify* TokenSupply::Next() {
  if (tokens_.empty()) return nullptr;
  int64_t n = next_.fetch_add(1, std::memory_order_relaxed);
  if (use_ == Use::kCycle) return &tokens_[n % tokens_.size()];
  return n < static_cast<int64_t>(tokens_.size()) ? &tokens_[n] : nullptr;
}

int64_t TokenSupply::handed_out() const {
  int64_t n = next_.load(std::memory_order_relaxed);
  return use_ == Use::kOnce
             ? std::min<int64_t>(n, static_cast<int64_t>(tokens_.size()))
             : n;
}

HealthCheckCall::HealthCheckCall(grpc::health::v1::Health::Stub* stub)
    : stub_(stub) {}

bool HealthCheckCall::Start(grpc::ClientContext* context,
                            std::function<void(grpc::Status)> done) {
  reply_.Clear();
  stub_->async()->Check(context, &request_, &reply_, std::move(done));
  return true;
}

grpc::Status HealthCheckCall::CheckReply() const {
  if (reply_.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
    return grpc::Status::OK;
  }
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                      absl::StrCat("Health/Check answered status ",
                                   reply_.status(), ", not SERVING"));
}

VerifyTokenCall::VerifyTokenCall(v1::TokenVerifier::Stub* stub,
                                 TokenSupply* tokens, std::string account_email)
    : stub_(stub), tokens_(tokens), account_email_(std::move(account_email)) {}

bool VerifyTokenCall::Start(grpc::ClientContext* context,
                            std::function<void(grpc::Status)> done) {
  const TokenToVerify* next = tokens_->Next();
  if (next == nullptr) return false;
  request_.set_token(next->token);
  request_.set_audience(next->audience);
  reply_.Clear();
  stub_->async()->VerifyToken(context, &request_, &reply_, std::move(done));
  return true;
}

grpc::Status VerifyTokenCall::CheckReply() const {
  if (reply_.verified() && reply_.account_email() == account_email_) {
    return grpc::Status::OK;
  }
  return grpc::Status(
      grpc::StatusCode::FAILED_PRECONDITION,
      absl::StrCat("VerifyToken answered verified=", reply_.verified(),
                   " account \"", reply_.account_email(), "\" reason \"",
                   reply_.reason(), "\"; expected verified for ",
                   account_email_));
}

}  // namespace signet::bench
