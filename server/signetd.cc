#include "server/signetd.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "jwt/verifier.h"
#include "verifier/token_auth_processor.h"

namespace signet::server {
namespace {

bool IsWildcardOrLoopback(absl::string_view host) {
  return host == "0.0.0.0" || host == "[::]" || host == "127.0.0.1" ||
         host == "[::1]" || host == "localhost";
}

// Health checks and reflection are open; every other method needs a valid
// token, and its handler decides what the account may do.
verifier::AccessPolicy SignetdAccessPolicy() {
  verifier::AccessPolicy policy;
  policy.Set("/grpc.health.v1.Health/*", {verifier::AccessRule::Kind::kOpen});
  policy.Set("/grpc.reflection.v1alpha.ServerReflection/*",
             {verifier::AccessRule::Kind::kOpen});
  return policy;
}

}  // namespace

std::vector<std::string> DefaultAudiences(
    const std::vector<ListenAddress>& listen) {
  std::vector<std::string> audiences = {"https://localhost/"};
  for (const ListenAddress& address : listen) {
    if (address.transport != ListenAddress::Transport::kTls) continue;
    audiences.push_back(absl::StrCat("https://", address.address, "/"));
    size_t colon = address.address.rfind(':');
    if (IsWildcardOrLoopback(address.address.substr(0, colon))) {
      audiences.push_back(absl::StrCat("https://localhost",
                                       address.address.substr(colon), "/"));
    }
  }
  return audiences;
}

absl::StatusOr<std::unique_ptr<Signetd>> Signetd::Start(SignetdConfig config) {
  std::unique_ptr<Signetd> signetd(new Signetd());
  signetd->audiences_ = config.audiences.empty()
                            ? DefaultAudiences(config.listen)
                            : config.audiences;

  signetd->store_ = std::make_shared<db::Store>(
      std::make_shared<db::ConnectionPool>(config.database, config.pool_size));
  auto lookups =
      std::make_shared<db::ConnectionPool>(config.database, config.pool_size);
  auto fresh_keys = std::make_shared<verifier::PostgresKeySource>(lookups);
  verifier::KeyCacheOptions key_cache;
  key_cache.ttl = config.key_cache_ttl;
  signetd->keys_ =
      std::make_shared<verifier::CachedKeySource>(fresh_keys, key_cache);
  signetd->feed_ = std::make_shared<ChangeFeed>();
  jwt::VerifierOptions verifier_options;
  verifier_options.audiences = signetd->audiences_;
  SIGNET_ASSIGN_OR_RETURN(
      std::unique_ptr<jwt::Verifier> verifier,
      jwt::Verifier::Create(verifier_options, signetd->keys_));
  signetd->callers_ = std::make_shared<verifier::CallVerifier>(
      std::move(verifier), config.key_cache_ttl);

  // Changes drop what both caches hold about a key or an account; after a
  // reconnect every cached key is revalidated and every remembered token
  // verified again, since changes may have been missed. Watchers hear of a
  // change after this signetd has dropped it.
  signetd->verified_tokens_ =
      std::make_shared<VerifyTokenMemory>(signetd->keys_, config.key_cache_ttl);
  verifier::CachedKeySource* keys = signetd->keys_.get();
  verifier::CallVerifier* callers = signetd->callers_.get();
  VerifyTokenMemory* verified_tokens = signetd->verified_tokens_.get();
  ChangeFeed* feed = signetd->feed_.get();
  signetd->changes_ = std::make_unique<verifier::ChangeListener>(
      config.database,
      [keys, callers, verified_tokens,
       feed](const verifier::StoreChange& change) {
        verifier::ApplyChange(change, *keys, *callers);
        verified_tokens->Apply(change);
        feed->Publish(change);
      },
      [keys, callers, verified_tokens, feed] {
        verifier::ApplyReset(*keys, *callers);
        verified_tokens->ForgetAll();
        feed->PublishReset();
      });
  if (!signetd->changes_->WaitUntilListening(absl::Seconds(10))) {
    return absl::UnavailableError(
        "cannot listen for store changes: check --database");
  }
  signetd->account_service_ = std::make_unique<AccountServiceImpl>(
      signetd->store_, signetd->callers_, config.accounts);
  signetd->token_verifier_ = std::make_unique<TokenVerifierServiceImpl>(
      signetd->callers_, signetd->verified_tokens_, fresh_keys, signetd->store_,
      signetd->feed_);

  SignetdOptions options{
      config.listen,
      config.tls,
      {signetd->account_service_.get(), signetd->token_verifier_.get()},
      // Not blocking (the default): see TokenAuthProcessor. signetd's keys
      // come from PostgreSQL, never through its own gRPC server.
      std::make_shared<verifier::TokenAuthProcessor>(
          signetd->callers_,
          verifier::TokenAuthOptions{SignetdAccessPolicy()})};
  SIGNET_ASSIGN_OR_RETURN(signetd->server_, SignetdServer::Start(options));
  return signetd;
}

Signetd::~Signetd() {
  if (server_ != nullptr) server_->Shutdown(absl::ZeroDuration());
}

void Signetd::Shutdown(absl::Duration grace) { server_->Shutdown(grace); }

}  // namespace signet::server
