#ifndef SIGNET_EXAMPLES_PROTECTED_GREETER_H_
#define SIGNET_EXAMPLES_PROTECTED_GREETER_H_

// The Greeter service behind signet's server-side verifier: what the
// example server runs, assembled so that tests can run the same thing in
// their own process.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "examples/greeter_service.h"
#include "grpcpp/grpcpp.h"
#include "server/listen_address.h"
#include "server/tls_identity.h"
#include "verifier/access_policy.h"
#include "verifier/server_verifier.h"

namespace signet::examples {

struct ProtectedGreeterConfig {
  // host:port addresses serve TLS, unix:/path ones gRPC's local
  // credentials: call credentials travel over nothing else.
  std::vector<server::ListenAddress> listen;
  // Required when any address is host:port.
  std::optional<server::TlsIdentity> tls;
  // Accounts allowed to call SayHello: emails, '*' standing for any run of
  // characters. Empty: any account with a valid token. SayHelloOpenly is
  // open to everyone.
  std::vector<std::string> allow;
  // The verifier's settings. Empty `audiences`: DefaultAudiences(listen).
  // `policy` is replaced by GreeterAccessPolicy(allow).
  verifier::ServerVerifierOptions verifier;
};

// The audiences clients of these addresses name by default (gRPC's JWT
// credentials and signet's plugin send "https://<authority>/"): for each
// TLS address, https://HOST:PORT/, and https://localhost:PORT/ when HOST is
// a loopback or wildcard address (a wildcard host, which no client dials,
// gives only the latter); https://localhost/ when any address is a unix
// socket. INVALID_ARGUMENT for a TLS address with port 0, whose audience
// cannot be known before the port is bound.
absl::StatusOr<std::vector<std::string>> DefaultAudiences(
    const std::vector<server::ListenAddress>& listen);

// SayHelloOpenly open; SayHello for the accounts of `allow`, or any account
// when it is empty; every other method of the server for any account.
verifier::AccessPolicy GreeterAccessPolicy(
    const std::vector<std::string>& allow);

// Checks the entries of `allow`: account emails or patterns, each with an
// '@' (an account id alone matches no email). INVALID_ARGUMENT names the
// first bad entry.
absl::Status CheckAllowList(const std::vector<std::string>& allow);

// A running Greeter server whose every call passes signet's verifier before
// the handler runs; the handler greets the account the token proved.
class ProtectedGreeter {
 public:
  // Starts the verifier (which connects to its key source and waits for its
  // change stream) and then the server. INVALID_ARGUMENT for a bad
  // configuration; UNAVAILABLE when the key source cannot be reached or an
  // address cannot be bound.
  static absl::StatusOr<std::unique_ptr<ProtectedGreeter>> Start(
      ProtectedGreeterConfig config);

  // Stops at once, cancelling calls in flight.
  ~ProtectedGreeter();

  // The addresses as bound, in the order of the configuration.
  const std::vector<std::string>& bound_addresses() const {
    return bound_addresses_;
  }
  const std::vector<std::string>& audiences() const { return audiences_; }

  verifier::ServerVerifier& verifier() { return *verifier_; }

  // Stops accepting calls and gives those in flight up to `grace`, then
  // cancels them. Idempotent.
  void Shutdown(absl::Duration grace);

 private:
  ProtectedGreeter() = default;

  std::vector<std::string> audiences_;
  std::vector<std::string> bound_addresses_;
  // Declared first: the server's credentials and handlers use it, so it is
  // destroyed after the server.
  std::unique_ptr<verifier::ServerVerifier> verifier_;
  std::unique_ptr<GreeterService> service_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace signet::examples

#endif  // SIGNET_EXAMPLES_PROTECTED_GREETER_H_
