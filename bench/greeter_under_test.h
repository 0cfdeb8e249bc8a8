#ifndef SIGNET_BENCH_GREETER_UNDER_TEST_H_
#define SIGNET_BENCH_GREETER_UNDER_TEST_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace signet::bench {

// How the example Greeter server is set up for a measurement.
enum class ServerMode {
  kPlain,  // no processor, and the client sends no token: the baseline
  // The client sends its token, and a non-blocking AuthMetadataProcessor
  // lets every call in without reading it: what any token check costs in
  // gRPC before it does any work of its own.
  kNoOpProcessor,
  kNonBlocking,  // ServerVerifier, checks on gRPC's own threads
  kBlocking,     // ServerVerifier, gRPC's blocking processor (thread hop)
};

// "plain", "noop", "nonblocking", "blocking".
absl::string_view ServerModeName(ServerMode mode);
std::optional<ServerMode> ServerModeFromName(absl::string_view name);

// Whether the mode's client sends a token, and whether its server checks it.
bool SendsToken(ServerMode mode);
bool ChecksToken(ServerMode mode);

struct GreeterServerConfig {
  ServerMode mode = ServerMode::kPlain;
  // "127.0.0.1:PORT", served with TLS, or "unix:/path", served with gRPC's
  // local credentials.
  std::string listen;
  // PEM files of the TLS certificate and its key, for a TCP address.
  std::string tls_cert_path;
  std::string tls_key_path;

  // Modes that check tokens: the one key the verifier knows (a PEM public
  // key file), its key id and account, and the audience tokens must name.
  std::string public_key_path;
  std::string key_id;
  std::string account_email;
  std::string audience;
};

// What ServeGreeter prints: once it serves, this and the address; as it
// stops, this and the verifier's decision counts ("allowed=N, ...").
inline constexpr char kServingLine[] = "greeter serving on";
inline constexpr char kDecisionsLine[] = "verifier decisions:";

// Serves examples::GreeterService as `config` says until SIGTERM or SIGINT,
// then prints the verifier's decision counts (modes that check tokens) and
// returns.
// Blocks those signals first, so call it before any thread starts.
// INVALID_ARGUMENT for an unreadable certificate or key, UNAVAILABLE when
// the address cannot be served, or the verifier's own error.
absl::Status ServeGreeter(const GreeterServerConfig& config);

}  // namespace signet::bench

#endif  // SIGNET_BENCH_GREETER_UNDER_TEST_H_
