#include "examples/protected_greeter.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "grpcpp/security/server_credentials.h"

namespace signet::examples {
namespace {

using server::ListenAddress;

constexpr char kSayHello[] = "/signet.examples.Greeter/SayHello";
constexpr char kSayHelloOpenly[] = "/signet.examples.Greeter/SayHelloOpenly";

bool IsLoopbackOrWildcard(absl::string_view host) {
  return host == "127.0.0.1" || host == "[::1]" || host == "localhost" ||
         host == "0.0.0.0" || host == "[::]";
}

std::shared_ptr<grpc::ServerCredentials> TransportCredentials(
    const ListenAddress& address, const server::TlsIdentity* tls) {
  if (address.transport == ListenAddress::Transport::kLocal) {
    return grpc::experimental::LocalServerCredentials(UDS);
  }
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back(
      {tls->private_key, tls->certificate_chain});
  return grpc::SslServerCredentials(options);
}

// The bound form of `address`: its real port where 0 was asked for.
std::string BoundAddress(const ListenAddress& address, int port) {
  if (address.transport == ListenAddress::Transport::kLocal) {
    return address.address;
  }
  size_t colon = address.address.rfind(':');
  return absl::StrCat(address.address.substr(0, colon + 1), port);
}

}  // namespace

absl::StatusOr<std::vector<std::string>> DefaultAudiences(
    const std::vector<ListenAddress>& listen) {
  std::vector<std::string> audiences;
  bool local = false;
  for (const ListenAddress& address : listen) {
    if (address.transport == ListenAddress::Transport::kLocal) {
      local = true;
      continue;
    }
    size_t colon = address.address.rfind(':');
    absl::string_view host =
        absl::string_view(address.address).substr(0, colon);
    absl::string_view port = absl::string_view(address.address).substr(colon);
    if (port == ":0") {
      return absl::InvalidArgumentError(absl::StrCat(
          "listen address ", address.address,
          " has port 0, and the default audience names the port: choose a "
          "port or pass --audience"));
    }
    if (host != "0.0.0.0" && host != "[::]") {
      audiences.push_back(absl::StrCat("https://", address.address, "/"));
    }
    if (IsLoopbackOrWildcard(host) && host != "localhost") {
      audiences.push_back(absl::StrCat("https://localhost", port, "/"));
    }
  }
  if (local) audiences.push_back("https://localhost/");
  return audiences;
}

verifier::AccessPolicy GreeterAccessPolicy(
    const std::vector<std::string>& allow) {
  using Kind = verifier::AccessRule::Kind;
  verifier::AccessPolicy policy;
  policy.SetDefault({Kind::kAnyAccount});
  policy.Set(kSayHelloOpenly, {Kind::kOpen});
  if (!allow.empty()) policy.Set(kSayHello, {Kind::kAccounts, allow});
  return policy;
}

absl::Status CheckAllowList(const std::vector<std::string>& allow) {
  for (const std::string& entry : allow) {
    if (entry.empty() || !absl::StrContains(entry, '@') ||
        absl::StrContains(entry, ' ')) {
      return absl::InvalidArgumentError(absl::StrCat(
          "allowed account '", entry,
          "' is not an email or pattern such as robot@signet.internal or "
          "*@signet.internal"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<ProtectedGreeter>> ProtectedGreeter::Start(
    ProtectedGreeterConfig config) {
  std::unique_ptr<ProtectedGreeter> greeter(new ProtectedGreeter());
  if (config.listen.empty()) {
    return absl::InvalidArgumentError("no listen address");
  }
  for (const ListenAddress& address : config.listen) {
    if (address.transport == ListenAddress::Transport::kTls &&
        !config.tls.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "listen address ", address.address, " needs a TLS certificate"));
    }
  }
  SIGNET_RETURN_IF_ERROR(CheckAllowList(config.allow));
  if (config.verifier.audiences.empty()) {
    SIGNET_ASSIGN_OR_RETURN(config.verifier.audiences,
                            DefaultAudiences(config.listen));
  }
  greeter->audiences_ = config.verifier.audiences;
  config.verifier.policy = GreeterAccessPolicy(config.allow);

  // The verifier first: it must hear changes from the first call on.
  SIGNET_ASSIGN_OR_RETURN(greeter->verifier_, verifier::ServerVerifier::Create(
                                                  std::move(config.verifier)));
  verifier::ServerVerifier* verifier = greeter->verifier_.get();
  greeter->service_ = std::make_unique<GreeterService>(
      [verifier](const grpc::ServerContextBase& context) {
        return verifier->CallerOf(context);
      });

  grpc::ServerBuilder builder;
  std::vector<int> ports(config.listen.size(), 0);
  for (size_t i = 0; i < config.listen.size(); ++i) {
    const ListenAddress& address = config.listen[i];
    builder.AddListeningPort(
        address.address,
        verifier->Protect(TransportCredentials(
            address, config.tls.has_value() ? &*config.tls : nullptr)),
        &ports[i]);
  }
  builder.RegisterService(greeter->service_.get());
  greeter->server_ = builder.BuildAndStart();

  // gRPC builds no server when any address cannot be bound, and does not
  // say which one.
  if (greeter->server_ == nullptr) {
    std::vector<std::string> addresses;
    for (const ListenAddress& address : config.listen) {
      addresses.push_back(address.address);
    }
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", absl::StrJoin(addresses, ", "),
                     ": an address is in use, not allowed, or not local"));
  }
  for (size_t i = 0; i < config.listen.size(); ++i) {
    greeter->bound_addresses_.push_back(
        BoundAddress(config.listen[i], ports[i]));
  }
  return greeter;
}

ProtectedGreeter::~ProtectedGreeter() { Shutdown(absl::ZeroDuration()); }

void ProtectedGreeter::Shutdown(absl::Duration grace) {
  if (server_ == nullptr) return;
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
  server_.reset();
}

}  // namespace signet::examples
