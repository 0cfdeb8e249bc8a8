#ifndef SIGNET_VERIFIER_SERVER_VERIFIER_H_
#define SIGNET_VERIFIER_SERVER_VERIFIER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/channel.h"
#include "grpcpp/grpcpp.h"
#include "jwt/jws.h"
#include "jwt/key_source.h"
#include "verifier/access_policy.h"
#include "verifier/cached_key_source.h"
#include "verifier/call_verifier.h"
#include "verifier/decision_observer.h"
#include "verifier/identity.h"

namespace signet::verifier {

// signetd as the key source: GetKey on a cache miss, WatchKeys for changes.
struct SignetdSourceOptions {
  // "host:port" (TLS) or "unix:/path" (local credentials).
  std::string target;
  client::ChannelOptions channel;
  // The key file of the account this service calls signetd as; any
  // enabled account may read keys and watch changes.
  std::string key_file;
  // The longest one GetKey may take.
  absl::Duration fetch_deadline = absl::Seconds(2);
};

// Where keys are looked up and where changes to them are heard.
struct KeySourceOptions {
  // Look keys up with signetd's GetKey.
  std::optional<SignetdSourceOptions> signetd;
  // Or look them up in PostgreSQL (a libpq connection string). A read
  // replica is fine for lookups.
  std::string database;
  // Changes: LISTEN on this PostgreSQL, which must be the primary (a hot
  // standby does not support LISTEN, and NOTIFY is not replicated). Empty:
  // signetd's WatchKeys when `signetd` is set, else LISTEN on `database`.
  std::string changes_database;
  // Connections for PostgreSQL lookups.
  int database_connections = 4;
  // How far behind the primary `database` may run, when it is a read
  // replica. A change heard from the primary (or signetd) reaches the
  // caches at once and again after this long, so that what a lagging
  // replica answered in between is dropped too. Zero: once.
  absl::Duration replica_lag = absl::ZeroDuration();
  // Or any other source (tests, keys shipped with the configuration). No
  // changes are heard: entries live out their TTL.
  std::shared_ptr<jwt::KeySource> custom;
};

struct ServerVerifierOptions {
  // Audiences a token may name (see jwt::VerifierOptions); at least one.
  std::vector<std::string> audiences;
  // Who may call which method; by default any account with a valid token.
  AccessPolicy policy;
  KeySourceOptions keys;
  KeyCacheOptions cache;
  // Whether tokens whose base64url segments are padded with '=' (exactly
  // as RFC 4648 pads them) are accepted. Off by default: unpadded, each
  // token has one spelling. gRPC C++'s own ServiceAccountJWTAccessCredentials
  // and google-auth before 1.6.3 pad; a service that must accept them
  // turns this on (see README).
  jwt::Padding padding = jwt::Padding::kRefused;
  // Verified tokens remembered at once (each until it expires or the
  // cache TTL passes, whichever is sooner).
  size_t max_remembered_tokens = 10000;
  // Run the check on a thread of its own for each call (gRPC's blocking
  // processor) instead of on gRPC's thread. See README: the non-blocking
  // default is faster, and the cache bounds how long a miss can hold a
  // gRPC thread (KeyCacheOptions::max_fetch_wait). Set it when the key
  // source is served by this same process (signetd embedded beside the
  // service): a non-blocking check waiting for a fetch holds a gRPC thread
  // the in-process server needs to answer it, and stalls until the wait
  // runs out.
  bool blocking = false;
  // Told of every decision; the verifier's own counters are kept either way.
  std::shared_ptr<DecisionObserver> observer;
  // Log refusals, at most this many lines a second; 0 logs none.
  int refusal_log_per_second = 10;
};

// What a gRPC C++ service installs to accept signet tokens:
//
//   ServerVerifierOptions options;
//   options.audiences = {"https://greeter.example:8443/"};
//   options.keys.signetd = SignetdSourceOptions{"signetd.example:7443", {},
//                                               "/etc/greeter/signet.json"};
//   auto verifier = ServerVerifier::Create(std::move(options));
//   builder.AddListeningPort(address, (*verifier)->Protect(tls_credentials));
//
// and, in a handler, (*verifier)->CallerOf(*context). Create starts the
// change stream and waits until it is listening, so that no revocation is
// missed from the first call on. Thread-safe; must outlive the server.
class ServerVerifier {
 public:
  static absl::StatusOr<std::unique_ptr<ServerVerifier>> Create(
      ServerVerifierOptions options);
  ~ServerVerifier();

  // Installs the token check on `credentials` (TLS or local; gRPC aborts a
  // server with a processor on insecure credentials) and returns that same
  // object, to pass to ServerBuilder::AddListeningPort.
  std::shared_ptr<grpc::ServerCredentials> Protect(
      std::shared_ptr<grpc::ServerCredentials> credentials);

  // Who made this call. Nullopt for a call without a token (which only an
  // open method lets in), and also, rarely, for a call whose token stopped
  // verifying after the check let it in (its key disabled in between):
  // a handler of a method that is not open treats nullopt as a refusal.
  // A hash lookup while the token is remembered; otherwise it verifies the
  // token again.
  std::optional<CallerIdentity> CallerOf(
      const grpc::ServerContextBase& context);

  // Decisions so far, by outcome and refusal reason (see DecisionCounters).
  std::map<std::string, int64_t> Decisions() const;

  // Whether changes are being heard right now.
  bool ChangesConnected() const;

 private:
  struct Parts;
  explicit ServerVerifier(std::unique_ptr<Parts> parts);
  absl::Status StartChanges(const KeySourceOptions& source,
                            std::shared_ptr<grpc::Channel> signetd);

  std::unique_ptr<Parts> parts_;
};

}  // namespace signet::verifier

#endif  // SIGNET_VERIFIER_SERVER_VERIFIER_H_
