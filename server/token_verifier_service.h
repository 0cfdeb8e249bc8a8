#ifndef SIGNET_SERVER_TOKEN_VERIFIER_SERVICE_H_
#define SIGNET_SERVER_TOKEN_VERIFIER_SERVICE_H_

#include <atomic>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "db/store.h"
#include "jwt/key_source.h"
#include "server/change_feed.h"
#include "server/verify_token_memory.h"
#include "signet/v1/token_verifier.grpc.pb.h"
#include "verifier/call_verifier.h"

namespace signet::server {

// TokenVerifier: verification as a service, keys by key id for remote
// verifiers, an account's public keys, and the change stream. Every call
// needs a verified caller, of any account.
class TokenVerifierServiceImpl final : public v1::TokenVerifier::Service {
 public:
  // `verified_tokens` answers VerifyToken (its keys cached, and changes
  // make it forget); `fresh_keys` answers GetKey from the store itself.
  TokenVerifierServiceImpl(std::shared_ptr<verifier::CallVerifier> callers,
                           std::shared_ptr<VerifyTokenMemory> verified_tokens,
                           std::shared_ptr<jwt::KeySource> fresh_keys,
                           std::shared_ptr<db::Store> store,
                           std::shared_ptr<ChangeFeed> changes);

  grpc::Status VerifyToken(grpc::ServerContext* context,
                           const v1::VerifyTokenRequest* request,
                           v1::VerifyTokenResponse* response) override;
  grpc::Status GetKey(grpc::ServerContext* context,
                      const v1::GetKeyInfoRequest* request,
                      v1::KeyInfo* response) override;
  grpc::Status GetPublicKeys(grpc::ServerContext* context,
                             const v1::GetPublicKeysRequest* request,
                             v1::GetPublicKeysResponse* response) override;
  grpc::Status WatchKeys(grpc::ServerContext* context,
                         const v1::WatchKeysRequest* request,
                         grpc::ServerWriter<v1::KeyChange>* writer) override;

 private:
  grpc::Status CheckCaller(grpc::ServerContext* context);

  // Streams open at once; each holds a thread of the synchronous server.
  // One account may hold only a few, so that a single account cannot keep
  // every other verifier from hearing of changes (a service's replicas
  // that share an account share its share).
  static constexpr int kMaxWatchers = 64;
  static constexpr int kMaxWatchersPerAccount = 8;

  // Takes a stream slot for `account`; false when none is left.
  bool AcquireWatcher(const std::string& account);
  void ReleaseWatcher(const std::string& account);

  std::shared_ptr<verifier::CallVerifier> callers_;
  std::shared_ptr<VerifyTokenMemory> verified_tokens_;
  std::shared_ptr<jwt::KeySource> fresh_keys_;
  std::shared_ptr<db::Store> store_;
  std::shared_ptr<ChangeFeed> changes_;
  absl::Mutex watchers_mutex_;
  int watchers_ ABSL_GUARDED_BY(watchers_mutex_) = 0;
  absl::flat_hash_map<std::string, int> watchers_by_account_
      ABSL_GUARDED_BY(watchers_mutex_);
};

}  // namespace signet::server

#endif  // SIGNET_SERVER_TOKEN_VERIFIER_SERVICE_H_
