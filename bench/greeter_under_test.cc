#include "bench/greeter_under_test.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/file.h"
#include "base/status_macros.h"
#include "examples/greeter_service.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/server_credentials.h"
#include "jwt/key_source.h"
#include "jwt/public_key.h"
#include "verifier/server_verifier.h"

namespace signet::bench {
namespace {

constexpr std::pair<ServerMode, absl::string_view> kModeNames[] = {
    {ServerMode::kPlain, "plain"},
    {ServerMode::kNoOpProcessor, "noop"},
    {ServerMode::kNonBlocking, "nonblocking"},
    {ServerMode::kBlocking, "blocking"},
};

// Lets every call in without looking at its metadata.
class AcceptEveryCall : public grpc::AuthMetadataProcessor {
 public:
  bool IsBlocking() const override { return false; }
  grpc::Status Process(const InputMetadata& /*auth_metadata*/,
                       grpc::AuthContext* /*context*/,
                       OutputMetadata* /*consumed*/,
                       OutputMetadata* /*response*/) override {
    return grpc::Status::OK;
  }
};

sigset_t StopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> TransportCredentials(
    const GreeterServerConfig& config) {
  if (absl::StartsWith(config.listen, "unix:")) {
    return grpc::experimental::LocalServerCredentials(UDS);
  }
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  SIGNET_ASSIGN_OR_RETURN(pair.private_key, ReadFile(config.tls_key_path));
  SIGNET_ASSIGN_OR_RETURN(pair.cert_chain, ReadFile(config.tls_cert_path));
  grpc::SslServerCredentialsOptions tls;
  tls.pem_key_cert_pairs.push_back(std::move(pair));
  return grpc::SslServerCredentials(tls);
}

// A verifier that knows the benchmark client's key alone, from memory, as
// a service that ships its peers' public keys with its configuration would.
absl::StatusOr<std::unique_ptr<verifier::ServerVerifier>> MakeVerifier(
    const GreeterServerConfig& config) {
  SIGNET_ASSIGN_OR_RETURN(std::string pem, ReadFile(config.public_key_path));
  SIGNET_ASSIGN_OR_RETURN(jwt::PublicKey key, jwt::PublicKey::FromPem(pem));
  auto keys = std::make_shared<jwt::InMemoryKeySource>();
  keys->Put(
      jwt::KeyRecord{config.key_id, std::move(key), config.account_email});

  verifier::ServerVerifierOptions options;
  options.audiences = {config.audience};
  options.keys.custom = std::move(keys);
  options.blocking = config.mode == ServerMode::kBlocking;
  return verifier::ServerVerifier::Create(std::move(options));
}

void PrintDecisions(const verifier::ServerVerifier& verifier) {
  printf("%s %s\n", kDecisionsLine,
         absl::StrJoin(verifier.Decisions(), ", ", absl::PairFormatter("="))
             .c_str());
  fflush(stdout);
}

// The server's credentials for the mode, the handler's way to learn who
// called, and the verifier behind both in modes that check tokens.
struct ServerSecurity {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  examples::CallerLookup caller_of = [](const grpc::ServerContextBase&) {
    return std::optional<verifier::CallerIdentity>();
  };
  std::unique_ptr<verifier::ServerVerifier> verifier;
};

absl::StatusOr<ServerSecurity> SecurityFor(const GreeterServerConfig& config) {
  ServerSecurity security;
  SIGNET_ASSIGN_OR_RETURN(security.credentials, TransportCredentials(config));
  if (config.mode == ServerMode::kNoOpProcessor) {
    security.credentials->SetAuthMetadataProcessor(
        std::make_shared<AcceptEveryCall>());
  }
  if (ChecksToken(config.mode)) {
    SIGNET_ASSIGN_OR_RETURN(security.verifier, MakeVerifier(config));
    security.credentials =
        security.verifier->Protect(std::move(security.credentials));
    security.caller_of = [verifier = security.verifier.get()](
                             const grpc::ServerContextBase& context) {
      return verifier->CallerOf(context);
    };
  }
  return security;
}

}  // namespace

absl::string_view ServerModeName(ServerMode mode) {
  for (const auto& [known, name] : kModeNames) {
    if (known == mode) return name;
  }
  return "unknown";
}

std::optional<ServerMode> ServerModeFromName(absl::string_view name) {
  for (const auto& [mode, known] : kModeNames) {
    if (known == name) return mode;
  }
  return std::nullopt;
}

bool SendsToken(ServerMode mode) { return mode != ServerMode::kPlain; }

bool ChecksToken(ServerMode mode) {
  return mode == ServerMode::kNonBlocking || mode == ServerMode::kBlocking;
}

absl::Status ServeGreeter(const GreeterServerConfig& config) {
  // Blocked in this thread before gRPC starts any, so that every thread
  // inherits the mask and only sigwait() below sees a stop signal.
  sigset_t stop_signals = StopSignals();
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  SIGNET_ASSIGN_OR_RETURN(ServerSecurity security, SecurityFor(config));
  examples::GreeterService service(security.caller_of);
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which lets another process of the
  // same user listen on this port too and take some of the connections;
  // without it, a port taken meanwhile fails the start instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(config.listen, security.credentials);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot serve the greeter on ", config.listen));
  }
  printf("%s %s\n", kServingLine, config.listen.c_str());
  fflush(stdout);

  int signal = 0;
  sigwait(&stop_signals, &signal);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  if (security.verifier != nullptr) PrintDecisions(*security.verifier);
  return absl::OkStatus();
}

}  // namespace signet::bench
