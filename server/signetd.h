#ifndef SIGNET_SERVER_SIGNETD_H_
#define SIGNET_SERVER_SIGNETD_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "db/connection_pool.h"
#include "db/store.h"
#include "server/account_service.h"
#include "server/change_feed.h"
#include "server/listen_address.h"
#include "server/signetd_server.h"
#include "server/tls_identity.h"
#include "server/token_verifier_service.h"
#include "verifier/cached_key_source.h"
#include "verifier/call_verifier.h"
#include "verifier/postgres_key_source.h"

namespace signet::server {

struct SignetdConfig {
  std::vector<ListenAddress> listen;
  std::optional<TlsIdentity> tls;
  // libpq connection string of the store.
  std::string database;
  // Store connections for the API and for key lookups, each.
  int pool_size = 8;
  // Audiences signetd's own API accepts; empty: DefaultAudiences(listen).
  std::vector<std::string> audiences;
  AccountServiceOptions accounts;
  absl::Duration key_cache_ttl = absl::Minutes(5);
};

// The audiences clients of these addresses send by default
// ("https://<authority>/"): https://localhost/ for unix sockets, and for
// each TLS address its host:port, plus localhost:port when the host is a
// wildcard or loopback address.
std::vector<std::string> DefaultAudiences(
    const std::vector<ListenAddress>& listen);

// signetd assembled: the store, the verifier it runs on its own API (keys
// from PostgreSQL, cached, dropped on NOTIFY), AccountService,
// TokenVerifier with its change stream, and the gRPC server. The schema must
// be current.
class Signetd {
 public:
  // UNAVAILABLE when the store or an address cannot be reached or bound.
  static absl::StatusOr<std::unique_ptr<Signetd>> Start(SignetdConfig config);

  ~Signetd();

  const std::vector<std::string>& bound_addresses() const {
    return server_->bound_addresses();
  }
  const std::vector<std::string>& audiences() const { return audiences_; }

  // See SignetdServer::Shutdown.
  void Shutdown(absl::Duration grace);

 private:
  Signetd() = default;

  std::vector<std::string> audiences_;
  std::shared_ptr<db::Store> store_;
  std::shared_ptr<verifier::CachedKeySource> keys_;
  std::shared_ptr<verifier::CallVerifier> callers_;
  std::shared_ptr<VerifyTokenMemory> verified_tokens_;
  // Declared before the listener, which publishes to it, so that it is
  // destroyed after the listener stops.
  std::shared_ptr<ChangeFeed> feed_;
  std::unique_ptr<verifier::ChangeListener> changes_;
  std::unique_ptr<AccountServiceImpl> account_service_;
  std::unique_ptr<TokenVerifierServiceImpl> token_verifier_;
  std::unique_ptr<SignetdServer> server_;
};

}  // namespace signet::server

#endif  // SIGNET_SERVER_SIGNETD_H_
