// greeter_server: the Greeter service, protected by signet's server-side
// verifier. Keys come from signetd (GetKey, with WatchKeys for changes) or
// straight from PostgreSQL (with LISTEN for changes).
//
//   greeter_server --listen=127.0.0.1:7444 --tls_cert=C --tls_key=K
//       --signetd=unix:/run/signet/signetd.sock --key_file=greeter.json
//       [--allow=robot@signet.internal,*@jobs.signet.internal]
//   greeter_server --listen=unix:/run/greeter.sock --database=CONNINFO
//
// Exit codes: 0 after a clean stop (SIGTERM or SIGINT), 1 when the server
// cannot start, 2 for bad flags.

#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "base/stop_signal.h"
#include "examples/protected_greeter.h"
#include "server/listeners.h"
#include "server/logging.h"
#include "server/tls_identity.h"
#include "spdlog/spdlog.h"

ABSL_FLAG(std::vector<std::string>, listen, {},
          "Comma-separated addresses to serve on: host:port (TLS, needs "
          "--tls_cert and --tls_key) and/or unix:/absolute/path (local "
          "credentials).");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain for the TLS listen addresses.");
ABSL_FLAG(std::string, tls_key, "",
          "PEM private key of --tls_cert (unencrypted).");
ABSL_FLAG(std::vector<std::string>, audience, {},
          "Audiences that tokens for this server may name; comma-separated, "
          "and the flag may be repeated. Default: https://HOST:PORT/ for "
          "each TLS --listen address (and https://localhost:PORT/ for "
          "loopback and wildcard hosts), https://localhost/ for a unix "
          "socket.");
ABSL_FLAG(std::string, signetd, "",
          "Key source: signetd's address, host:port (TLS) or unix:/path. "
          "Keys are fetched with GetKey and changes heard with WatchKeys. "
          "Needs --key_file.");
ABSL_FLAG(std::string, signetd_ca, "",
          "PEM CA certificates to check signetd's TLS certificate against; "
          "the system's roots by default.");
ABSL_FLAG(std::string, signetd_server_name, "",
          "The name to check in signetd's TLS certificate, when it differs "
          "from the host of --signetd.");
ABSL_FLAG(std::string, key_file, "",
          "This server's own signet key file, to call signetd with. Any "
          "enabled account may read keys and watch changes.");
ABSL_FLAG(std::string, database, "",
          "Key source instead of --signetd: a libpq connection string of "
          "signet's PostgreSQL (a read replica is fine).");
ABSL_FLAG(std::string, changes_database, "",
          "Hear key changes by LISTEN on this PostgreSQL, which must be the "
          "primary. Default: signetd's WatchKeys with --signetd, LISTEN on "
          "--database otherwise.");
ABSL_FLAG(std::vector<std::string>, allow, {},
          "Accounts allowed to call SayHello: comma-separated emails, where "
          "'*' stands for any run of characters (*@signet.internal); the "
          "flag may be repeated. Empty: any account with a valid token. "
          "SayHelloOpenly is open to everyone.");
ABSL_FLAG(bool, accept_padded_tokens, false,
          "Also accept tokens whose base64url segments end in '=' padding "
          "(exactly as RFC 4648 pads), as gRPC C++'s own "
          "ServiceAccountJWTAccessCredentials and google-auth before 1.6.3 "
          "write them. Off: each token has one spelling.");
ABSL_FLAG(absl::Duration, key_fetch_wait, absl::Seconds(1),
          "The longest a call waits for a key that is not cached yet; the "
          "fetch goes on and fills the cache for later calls. Past it the "
          "call is refused with UNAVAILABLE.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(5),
          "On SIGTERM or SIGINT, how long calls in flight may take to finish "
          "before they are cancelled.");
ABSL_FLAG(std::string, log_level, "info",
          "trace, debug, info, warn, error or off.");

namespace signet::examples {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int Fail(const absl::Status& status) {
  spdlog::error("{}", status.message());
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage
                                                             : kExitFailure;
}

// The value of list flag `name` in `argv[*i]` ("--name=v", "-name=v", or
// "--name v", which also consumes the next argument), or nullopt.
std::optional<std::string> ListFlagValue(const std::string& name, int argc,
                                         char** argv, int* i) {
  std::string arg = argv[*i];
  for (const char* dashes : {"--", "-"}) {
    std::string flag = absl::StrCat(dashes, name);
    if (absl::StartsWith(arg, flag + "=")) return arg.substr(flag.size() + 1);
    if (arg == flag && *i + 1 < argc) return std::string(argv[++*i]);
  }
  return std::nullopt;
}

// absl's flags keep only the last of a repeated flag. For the list flags,
// join every occurrence into one comma-separated value instead, so that
// `--allow=a --allow=b` means both.
std::vector<std::string> JoinRepeatedListFlags(int argc, char** argv) {
  const std::vector<std::string> lists = {"audience", "allow"};
  std::vector<std::vector<std::string>> values(lists.size());
  std::vector<std::string> args = {argv[0]};
  int i = 1;
  for (; i < argc && std::string(argv[i]) != "--"; ++i) {
    bool taken = false;
    for (size_t l = 0; l < lists.size() && !taken; ++l) {
      std::optional<std::string> value =
          ListFlagValue(lists[l], argc, argv, &i);
      if (value.has_value()) values[l].push_back(*std::move(value));
      taken = value.has_value();
    }
    if (!taken) args.push_back(argv[i]);
  }
  for (size_t l = 0; l < lists.size(); ++l) {
    if (values[l].empty()) continue;
    args.push_back(
        absl::StrCat("--", lists[l], "=", absl::StrJoin(values[l], ",")));
  }
  // Whatever follows "--" is not flags.
  args.insert(args.end(), argv + i, argv + argc);
  return args;
}

absl::StatusOr<verifier::KeySourceOptions> KeySourceFromFlags() {
  verifier::KeySourceOptions keys;
  std::string signetd = absl::GetFlag(FLAGS_signetd);
  keys.database = absl::GetFlag(FLAGS_database);
  keys.changes_database = absl::GetFlag(FLAGS_changes_database);
  if (signetd.empty() == keys.database.empty()) {
    return absl::InvalidArgumentError(
        "choose one key source: --signetd=TARGET with --key_file, or "
        "--database=CONNINFO");
  }
  bool signetd_flags = !absl::GetFlag(FLAGS_key_file).empty() ||
                       !absl::GetFlag(FLAGS_signetd_ca).empty() ||
                       !absl::GetFlag(FLAGS_signetd_server_name).empty();
  if (signetd.empty()) {
    if (signetd_flags) {
      return absl::InvalidArgumentError(
          "--key_file, --signetd_ca and --signetd_server_name go with "
          "--signetd, not --database");
    }
    return keys;
  }
  if (absl::GetFlag(FLAGS_key_file).empty()) {
    return absl::InvalidArgumentError(
        "--signetd needs --key_file: this server's own key file, to call "
        "signetd with");
  }
  verifier::SignetdSourceOptions source;
  source.target = signetd;
  source.channel.tls_ca_path = absl::GetFlag(FLAGS_signetd_ca);
  source.channel.tls_server_name = absl::GetFlag(FLAGS_signetd_server_name);
  source.key_file = absl::GetFlag(FLAGS_key_file);
  source.fetch_deadline =
      std::max(source.fetch_deadline, absl::GetFlag(FLAGS_key_fetch_wait));
  keys.signetd = std::move(source);
  return keys;
}

absl::StatusOr<ProtectedGreeterConfig> ConfigFromFlags() {
  ProtectedGreeterConfig config;
  SIGNET_ASSIGN_OR_RETURN(server::Listeners listeners,
                          server::ParseListeners(absl::GetFlag(FLAGS_listen),
                                                 absl::GetFlag(FLAGS_tls_cert),
                                                 absl::GetFlag(FLAGS_tls_key)));
  config.listen = std::move(listeners.addresses);
  config.tls = std::move(listeners.tls);
  for (const std::string& audience : absl::GetFlag(FLAGS_audience)) {
    if (audience.empty()) {
      return absl::InvalidArgumentError("--audience has an empty entry");
    }
  }
  config.verifier.audiences = absl::GetFlag(FLAGS_audience);
  if (absl::GetFlag(FLAGS_key_fetch_wait) <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--key_fetch_wait must be positive");
  }
  config.verifier.cache.max_fetch_wait = absl::GetFlag(FLAGS_key_fetch_wait);
  config.verifier.padding = absl::GetFlag(FLAGS_accept_padded_tokens)
                                ? jwt::Padding::kCanonicalAccepted
                                : jwt::Padding::kRefused;
  config.allow = absl::GetFlag(FLAGS_allow);
  if (absl::Status allow = CheckAllowList(config.allow); !allow.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--allow: ", allow.message()));
  }
  SIGNET_ASSIGN_OR_RETURN(config.verifier.keys, KeySourceFromFlags());
  return config;
}

std::string DescribeKeySource(const verifier::KeySourceOptions& keys) {
  std::string changes = !keys.changes_database.empty()
                            ? "LISTEN on --changes_database"
                        : keys.signetd.has_value() ? "WatchKeys"
                                                   : "LISTEN";
  return keys.signetd.has_value()
             ? absl::StrCat("signetd at ", keys.signetd->target,
                            " (changes by ", changes, ")")
             : absl::StrCat("PostgreSQL (changes by ", changes, ")");
}

std::string DescribeDecisions(const std::map<std::string, int64_t>& counts) {
  if (counts.empty()) return "none";
  std::vector<std::string> parts;
  for (const auto& [outcome, count] : counts) {
    parts.push_back(absl::StrCat(outcome, " ", count));
  }
  return absl::StrJoin(parts, ", ");
}

int Serve() {
  absl::StatusOr<ProtectedGreeterConfig> config = ConfigFromFlags();
  if (!config.ok()) return Fail(config.status());
  std::string source = DescribeKeySource(config->verifier.keys);
  std::string allowed = config->allow.empty()
                            ? "any account"
                            : absl::StrJoin(config->allow, ", ");

  absl::StatusOr<std::unique_ptr<ProtectedGreeter>> greeter =
      ProtectedGreeter::Start(*std::move(config));
  if (!greeter.ok()) {
    return Fail(absl::Status(
        greeter.status().code(),
        absl::StrCat("cannot start: ", greeter.status().message())));
  }
  spdlog::info("keys from {}", source);
  spdlog::info(
      "accepting tokens for audiences {}{}",
      absl::StrJoin((*greeter)->audiences(), ", "),
      absl::GetFlag(FLAGS_accept_padded_tokens) ? "; padded tokens too" : "");
  spdlog::info("SayHello allowed for {}; SayHelloOpenly open", allowed);
  spdlog::info("serving on {}",
               absl::StrJoin((*greeter)->bound_addresses(), ", "));

  int signal = AwaitStopSignal();
  absl::Duration grace = absl::GetFlag(FLAGS_shutdown_grace);
  spdlog::info("received {}, stopping; calls in flight have {}",
               signal == SIGTERM ? "SIGTERM" : "SIGINT",
               absl::FormatDuration(grace));
  (*greeter)->Shutdown(grace);
  spdlog::info("decisions: {}",
               DescribeDecisions((*greeter)->verifier().Decisions()));
  spdlog::info("stopped");
  return EXIT_SUCCESS;
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "the Greeter service, protected by signet.\n\n"
      "  greeter_server --listen=ADDRESS[,ADDRESS...] "
      "[--tls_cert=PEM --tls_key=PEM]\n"
      "      (--signetd=TARGET --key_file=PATH | --database=CONNINFO)\n"
      "      [--allow=EMAIL[,EMAIL...]] [--audience=AUDIENCE[,...]]\n");
  std::vector<std::string> joined = JoinRepeatedListFlags(argc, argv);
  std::vector<char*> joined_argv;
  for (std::string& arg : joined) joined_argv.push_back(arg.data());
  std::vector<char*> args = absl::ParseCommandLine(
      static_cast<int>(joined_argv.size()), joined_argv.data());
  if (absl::Status logging = server::ConfigureLogging(
          "greeter_server", absl::GetFlag(FLAGS_log_level));
      !logging.ok()) {
    fprintf(stderr, "greeter_server: %s\n",
            std::string(logging.message()).c_str());
    return kExitUsage;
  }
  if (args.size() > 1) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "unexpected argument '", args[1], "'; see greeter_server --help")));
  }

  // Before any thread starts, so that only sigwait() sees these signals.
  BlockStopSignals();
  return Serve();
}

}  // namespace
}  // namespace signet::examples

int main(int argc, char** argv) { return signet::examples::Main(argc, argv); }
