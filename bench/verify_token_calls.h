#ifndef SIGNET_BENCH_VERIFY_TOKEN_CALLS_H_
#define SIGNET_BENCH_VERIFY_TOKEN_CALLS_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/unary_call_loop.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "jwt/signer.h"
#include "signet/v1/token_verifier.grpc.pb.h"

namespace signet::bench {

// A token for VerifyToken and the audience to ask it for.
struct TokenToVerify {
  std::string token;
  std::string audience;
};

// Tokens of `signer`'s account numbered `first` to `first + count - 1`,
// signed on `threads` threads. Token n names the audience
// "https://verified.bench/<n, 8 digits>" and is asked for with it, so that
// no two tokens are alike however fast they are signed, and all have the
// same length. An hour's lifetime.
absl::StatusOr<std::vector<TokenToVerify>> SignTokens(const jwt::Signer& signer,
                                                      int64_t first,
                                                      int64_t count,
                                                      int threads);

// Hands tokens to the calls in flight without a lock: cycling through a
// few for as long as asked, as real callers present the same token until
// it is refreshed, or each token once.
class TokenSupply {
 public:
  enum class Use { kCycle, kOnce };

  TokenSupply(std::vector<TokenToVerify> tokens, Use use);

  // The next token; null once a kOnce supply is used up. Thread-safe.
  const TokenToVerify* Next();

  // Tokens handed out so far.
  int64_t handed_out() const;

 private:
  const std::vector<TokenToVerify> tokens_;
  const Use use_;
  std::atomic<int64_t> next_{0};
};

// grpc.health.v1.Health/Check for the whole server (service ""). Its reply
// must be SERVING.
class HealthCheckCall : public UnaryCall {
 public:
  // `stub` must outlive the call.
  explicit HealthCheckCall(grpc::health::v1::Health::Stub* stub);

  bool Start(grpc::ClientContext* context,
             std::function<void(grpc::Status)> done) override;
  grpc::Status CheckReply() const override;

 private:
  grpc::health::v1::Health::Stub* stub_;
  grpc::health::v1::HealthCheckRequest request_;
  grpc::health::v1::HealthCheckResponse reply_;
};

// TokenVerifier.VerifyToken of the supply's next token, for the audience
// it names. Its reply must say verified, for `account_email`: a refused
// token would measure the refusal path.
class VerifyTokenCall : public UnaryCall {
 public:
  // `stub` and `tokens` must outlive the call.
  VerifyTokenCall(v1::TokenVerifier::Stub* stub, TokenSupply* tokens,
                  std::string account_email);

  bool Start(grpc::ClientContext* context,
             std::function<void(grpc::Status)> done) override;
  grpc::Status CheckReply() const override;

 private:
  v1::TokenVerifier::Stub* stub_;
  TokenSupply* tokens_;
  const std::string account_email_;
  v1::VerifyTokenRequest request_;
  v1::VerifyTokenResponse reply_;
};

}  // namespace signet::bench

#endif  // SIGNET_BENCH_VERIFY_TOKEN_CALLS_H_
