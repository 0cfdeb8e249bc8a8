// signetd: the signet credential server.
//
//   signetd [serve] --listen=ADDRESS[,ADDRESS...] --database=CONNINFO [flags]
//   signetd migrate --database=CONNINFO
//   signetd bootstrap --database=CONNINFO --account_id=ID
//       (--public_key=PATH | --key_file=PATH [--algorithm=ES256])
//
// Exit codes: 0 after a clean stop, 1 when the server cannot start or a
// command fails, 2 for bad flags or arguments.

#include <signal.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "base/file.h"
#include "base/rate_limiter.h"
#include "base/status_macros.h"
#include "base/stop_signal.h"
#include "db/connection.h"
#include "db/migrations.h"
#include "db/migrator.h"
#include "grpc/support/log.h"
#include "server/bootstrap.h"
#include "server/listen_address.h"
#include "server/listeners.h"
#include "server/logging.h"
#include "server/signetd.h"
#include "server/signetd_server.h"
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
ABSL_FLAG(std::string, database, "",
          "libpq connection string of the store, such as "
          "'host=/run/postgresql dbname=signet'. Defaults to the "
          "SIGNET_DATABASE environment variable.");
ABSL_FLAG(std::string, log_level, "info",
          "trace, debug, info, warn, error or off.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "On SIGTERM or SIGINT, how long calls in flight may take to finish "
          "before they are cancelled.");
ABSL_FLAG(bool, migrate, false,
          "Apply pending schema migrations before serving.");
ABSL_FLAG(std::vector<std::string>, audience, {},
          "Comma-separated audiences that tokens for signetd's own API may "
          "name. Default: https://localhost/ and https://HOST:PORT/ for each "
          "TLS --listen address (and https://localhost:PORT/ for wildcard "
          "and loopback hosts).");
ABSL_FLAG(std::string, account_domain, "signet.internal",
          "Accounts' emails are ACCOUNT_ID@ACCOUNT_DOMAIN.");
ABSL_FLAG(std::string, project_id, "signet",
          "The deployment's name, written into key files as project_id.");
ABSL_FLAG(std::string, token_uri, "",
          "signetd's address as clients reach it, written into key files. "
          "Default: https://HOST:PORT/ of the first TLS --listen address.");
ABSL_FLAG(int, max_keys_per_account, 10,
          "Keys an account may have, enabled and disabled together.");
ABSL_FLAG(bool, allow_self_key_creation, false,
          "Let accounts that are not global admins add keys to themselves.");
ABSL_FLAG(int, store_connections, 8,
          "PostgreSQL connections for the API, and as many for key lookups.");
ABSL_FLAG(std::string, account_id, "",
          "bootstrap: the first admin account's id.");
ABSL_FLAG(std::string, public_key, "",
          "bootstrap: a PEM public key, certificate or JWK file for the "
          "first admin (preferred: the private key never leaves you).");
ABSL_FLAG(std::string, key_file, "",
          "bootstrap: where to write the generated key file (mode 0600; "
          "it must not exist yet).");
ABSL_FLAG(std::string, algorithm, "ES256",
          "bootstrap: RS256, ES256 or EdDSA for a generated key.");

namespace signet::server {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

// gRPC's own log lines go through the same logger, one line each, and at a
// bounded pace: gRPC logs every failed TLS handshake, whose number anyone
// who can reach the port chooses. Its errors are warnings here, since each
// is about one connection, not about signetd.
void LogFromGrpc(gpr_log_func_args* args) {
  static RateLimiter* limiter = new RateLimiter(20);
  int64_t held_back = 0;
  if (!limiter->Allow(&held_back)) return;
  if (held_back > 0) {
    spdlog::warn("grpc: {} lines not logged (rate limit)", held_back);
  }
  switch (args->severity) {
    case GPR_LOG_SEVERITY_DEBUG:
      spdlog::debug("grpc: {}", args->message);
      break;
    case GPR_LOG_SEVERITY_INFO:
      spdlog::info("grpc: {}", args->message);
      break;
    case GPR_LOG_SEVERITY_ERROR:
      spdlog::warn("grpc: {}", args->message);
      break;
  }
}

std::string DatabaseFlag() {
  std::string database = absl::GetFlag(FLAGS_database);
  if (database.empty()) {
    const char* from_env = std::getenv("SIGNET_DATABASE");
    if (from_env != nullptr) database = from_env;
  }
  return database;
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> ConnectToStore() {
  std::string database = DatabaseFlag();
  if (database.empty()) {
    return absl::InvalidArgumentError(
        "no store: pass --database=CONNINFO or set SIGNET_DATABASE");
  }
  absl::StatusOr<std::unique_ptr<pqxx::connection>> connection =
      db::Connect(database);
  if (!connection.ok()) {
    return absl::Status(
        connection.status().code(),
        absl::StrCat(connection.status().message(),
                     "; check --database and that PostgreSQL is running"));
  }
  return connection;
}

int ExitCodeFor(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage
                                                             : kExitFailure;
}

int Fail(const absl::Status& status) {
  spdlog::error("{}", status.message());
  return ExitCodeFor(status);
}

absl::Status MigrateOn(pqxx::connection& connection) {
  SIGNET_ASSIGN_OR_RETURN(db::MigrationReport report,
                          db::Migrate(connection, db::EmbeddedMigrations()));
  if (report.applied.empty()) {
    spdlog::info("schema is current at version {}", report.to_version);
  } else {
    spdlog::info("schema migrated from version {} to {}: applied {}",
                 report.from_version, report.to_version,
                 absl::StrJoin(report.applied, ", "));
  }
  return absl::OkStatus();
}

absl::Status Migrate() {
  SIGNET_ASSIGN_OR_RETURN(auto connection, ConnectToStore());
  return MigrateOn(*connection);
}

std::string TokenUriFlag(const std::vector<ListenAddress>& listen) {
  std::string token_uri = absl::GetFlag(FLAGS_token_uri);
  if (!token_uri.empty()) return token_uri;
  for (const ListenAddress& address : listen) {
    if (address.transport == ListenAddress::Transport::kTls) {
      return absl::StrCat("https://", address.address, "/");
    }
  }
  return "https://localhost/";
}

// A host name: labels of a-z, 0-9 and -, separated by dots. Emails end
// with it, and change notifications split on spaces.
bool IsValidDomain(absl::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  for (char c : domain) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-' &&
        c != '.') {
      return false;
    }
  }
  return domain.front() != '.' && domain.back() != '.';
}

AccountServiceOptions AccountOptionsFromFlags(
    const std::vector<ListenAddress>& listen) {
  AccountServiceOptions options;
  options.account_domain = absl::GetFlag(FLAGS_account_domain);
  options.project_id = absl::GetFlag(FLAGS_project_id);
  options.token_uri = TokenUriFlag(listen);
  options.max_keys_per_account = absl::GetFlag(FLAGS_max_keys_per_account);
  options.allow_self_key_creation =
      absl::GetFlag(FLAGS_allow_self_key_creation);
  return options;
}

absl::StatusOr<SignetdConfig> ConfigFromFlags() {
  SignetdConfig options;
  SIGNET_ASSIGN_OR_RETURN(
      Listeners listeners,
      ParseListeners(absl::GetFlag(FLAGS_listen), absl::GetFlag(FLAGS_tls_cert),
                     absl::GetFlag(FLAGS_tls_key)));
  options.listen = std::move(listeners.addresses);
  options.tls = std::move(listeners.tls);
  if (!IsValidDomain(absl::GetFlag(FLAGS_account_domain))) {
    return absl::InvalidArgumentError(
        "--account_domain must be a host name of a-z, 0-9, - and .");
  }
  if (absl::GetFlag(FLAGS_max_keys_per_account) < 1 ||
      absl::GetFlag(FLAGS_store_connections) < 1) {
    return absl::InvalidArgumentError(
        "--max_keys_per_account and --store_connections must be at least 1");
  }
  options.database = DatabaseFlag();
  options.pool_size = absl::GetFlag(FLAGS_store_connections);
  options.audiences = absl::GetFlag(FLAGS_audience);
  options.accounts = AccountOptionsFromFlags(options.listen);
  return options;
}

absl::Status PrepareStore() {
  SIGNET_ASSIGN_OR_RETURN(auto connection, ConnectToStore());
  if (absl::GetFlag(FLAGS_migrate)) return MigrateOn(*connection);
  return db::CheckSchemaIsCurrent(*connection, db::EmbeddedMigrations());
}

int Serve() {
  absl::StatusOr<SignetdConfig> config = ConfigFromFlags();
  if (!config.ok()) return Fail(config.status());
  if (absl::Status store = PrepareStore(); !store.ok()) return Fail(store);

  absl::StatusOr<std::unique_ptr<Signetd>> server =
      Signetd::Start(*std::move(config));
  if (!server.ok()) return Fail(server.status());
  spdlog::info("accepting tokens for audiences {}",
               absl::StrJoin((*server)->audiences(), ", "));
  spdlog::info("serving on {}",
               absl::StrJoin((*server)->bound_addresses(), ", "));

  int signal = AwaitStopSignal();
  absl::Duration grace = absl::GetFlag(FLAGS_shutdown_grace);
  spdlog::info("received {}, stopping; calls in flight have {}",
               signal == SIGTERM ? "SIGTERM" : "SIGINT",
               absl::FormatDuration(grace));
  (*server)->Shutdown(grace);
  spdlog::info("stopped");
  return EXIT_SUCCESS;
}

absl::Status RunBootstrap() {
  BootstrapRequest request;
  request.account_id = absl::GetFlag(FLAGS_account_id);
  request.account_domain = absl::GetFlag(FLAGS_account_domain);
  request.key_file_path = absl::GetFlag(FLAGS_key_file);
  request.key_file_fields = {absl::GetFlag(FLAGS_project_id), TokenUriFlag({})};
  std::optional<jwt::Algorithm> algorithm =
      jwt::AlgorithmFromName(absl::GetFlag(FLAGS_algorithm));
  if (!algorithm.has_value()) {
    return absl::InvalidArgumentError(
        "--algorithm must be RS256, ES256 or EdDSA");
  }
  request.algorithm = *algorithm;
  if (request.account_id.empty()) {
    return absl::InvalidArgumentError("bootstrap needs --account_id");
  }
  if (!IsValidDomain(request.account_domain)) {
    return absl::InvalidArgumentError(
        "--account_domain must be a host name of a-z, 0-9, - and .");
  }
  if (absl::GetFlag(FLAGS_public_key).empty() ==
      request.key_file_path.empty()) {
    return absl::InvalidArgumentError(
        "bootstrap needs exactly one of --public_key=PATH (preferred) and "
        "--key_file=PATH");
  }
  if (!absl::GetFlag(FLAGS_public_key).empty()) {
    SIGNET_ASSIGN_OR_RETURN(request.public_key_data,
                            ReadFile(absl::GetFlag(FLAGS_public_key)));
  }

  SIGNET_ASSIGN_OR_RETURN(auto connection, ConnectToStore());
  SIGNET_RETURN_IF_ERROR(
      db::CheckSchemaIsCurrent(*connection, db::EmbeddedMigrations()));
  db::Store store(std::make_shared<db::ConnectionPool>(DatabaseFlag(), 1));
  SIGNET_ASSIGN_OR_RETURN(db::AccountRow admin, Bootstrap(store, request));
  spdlog::info("bootstrap done: {} is a global admin{}", admin.email,
               request.key_file_path.empty()
                   ? ""
                   : absl::StrCat("; its key file is ", request.key_file_path));
  return absl::OkStatus();
}

int Main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "the signet credential server.\n\n"
      "  signetd [serve] --listen=ADDRESS[,ADDRESS...] --database=CONNINFO\n"
      "  signetd migrate --database=CONNINFO\n"
      "  signetd bootstrap --database=CONNINFO --account_id=ID\n"
      "      (--public_key=PATH | --key_file=PATH [--algorithm=ES256])\n");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (absl::Status logging =
          ConfigureLogging("signetd", absl::GetFlag(FLAGS_log_level));
      !logging.ok()) {
    fprintf(stderr, "signetd: %s\n", std::string(logging.message()).c_str());
    return kExitUsage;
  }
  gpr_set_log_function(LogFromGrpc);

  std::string command = args.size() > 1 ? args[1] : "serve";
  if (args.size() > 2) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "unexpected argument '", args[2], "'; see signetd --help")));
  }
  if (command == "migrate") {
    absl::Status migrated = Migrate();
    return migrated.ok() ? EXIT_SUCCESS : Fail(migrated);
  }
  if (command == "bootstrap") {
    absl::Status done = RunBootstrap();
    return done.ok() ? EXIT_SUCCESS : Fail(done);
  }
  if (command == "serve") {
    // Before any thread starts, so that only sigwait() sees these signals.
    BlockStopSignals();
    return Serve();
  }
  return Fail(absl::InvalidArgumentError(absl::StrCat(
      "unknown command '", command, "': use serve, migrate or bootstrap")));
}

}  // namespace
}  // namespace signet::server

int main(int argc, char** argv) { return signet::server::Main(argc, argv); }
